# Portable core of the host tool: sources -> views -> merge -> renderers, and the CLI.
target_sources(wslns_host_core PRIVATE
  source.c        # one place a view came from, and its status
  view.c          # a wslns-probe/1 document, validated
  idmap.c         # the hash map the merge is built on
  model.c         # every view merged into one tree
  render_tree.c   # the console tree
  render_json.c   # wslns-report/1
  pidcmd.c        # wslns pid
  diff.c          # wslns diff
  cli.c)          # the command line
# diff.c uses floor(): glibc keeps it in libm (MinGW's CRT has it built in).
if(NOT WIN32)
  target_link_libraries(wslns_host_core PUBLIC m)
endif()
