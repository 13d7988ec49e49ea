# The host tool's portable core: probe documents, the merge, the renderers, the CLI.
set(WSLNS_HOST_DATA "${CMAKE_CURRENT_SOURCE_DIR}/unit/data/host")

function(wslns_host_test name target)
  wslns_unit_test("${name}" ${target} SOURCES ${ARGN} LIBS wslns_host_core)
  target_compile_definitions(${target} PRIVATE HOST_DATA_DIR="${WSLNS_HOST_DATA}")
endfunction()

wslns_host_test("host: probe document parser (hostile input)" test_host_view unit/test_host_view.c)
wslns_host_test("host: merge of views (layouts, placeholders, hostile parents)" test_host_model unit/test_host_model.c)
wslns_host_test("host: console tree, JSON report and wslns pid" test_host_render unit/test_host_render.c)
wslns_host_test("host: merge of real lab documents matches the lab's ground truth" test_host_lab unit/test_host_lab.c)
wslns_host_test("host: command line (options, pid, help, usage errors)" test_host_cli unit/test_host_cli.c)
