# wslns doctor: the GUI-apps verdicts (doctor.c, pure) and their text / JSON / HTML forms
# (render_doctor.c). The config reader they build on is wslns_config (config.cmake).
target_sources(wslns_host_core PRIVATE
  doctor.c          # config intent against measured evidence, per distro
  render_doctor.c)  # text, wslns-doctor/1, the HTML report's extra sections
