# The HTML report: render_html.c plus its style sheet and script (win/report_assets/), which
# embed.cmake turns into a generated header at build time, so the report stays one file.
set(_assets "${CMAKE_CURRENT_SOURCE_DIR}/report_assets")
set(_generated "${CMAKE_CURRENT_BINARY_DIR}/generated")
add_custom_command(
  OUTPUT "${_generated}/report_assets.h"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${_generated}"
  COMMAND ${CMAKE_COMMAND} "-DCSS=${_assets}/report.css" "-DJS=${_assets}/report.js"
          "-DOUT=${_generated}/report_assets.h" -P "${_assets}/embed.cmake"
  DEPENDS "${_assets}/report.css" "${_assets}/report.js" "${_assets}/embed.cmake"
  COMMENT "Embedding the HTML report's style sheet and script"
  VERBATIM)
target_sources(wslns_host_core PRIVATE
  render_html.c                          # the HTML report
  render_svg.c                           # its picture of the hierarchy
  "${_generated}/report_assets.h")       # report.css, report.js and the script's CSP hash
target_include_directories(wslns_host_core PRIVATE "${_generated}")
