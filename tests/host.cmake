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

# End to end: the wslns binary on saved probe documents (--from), exit codes and output.
set(_lab "${WSLNS_HOST_DATA}/lab")
set(_all_views)
foreach(_v vm system-Ubuntu Ubuntu system-Ubuntu-18.04 Ubuntu-18.04 NoGui system-Debian Debian
           system-docker-desktop docker-desktop container-docker-desktop)
  list(APPEND _all_views --from "${_lab}/${_v}.json")
endforeach()

# wslns_host_e2e(<name> <exit code> <stdout regex or ""> <program> <args...>)
# With WSLNS_HOST_E2E_NOT set, stdout must also not match that regex.
function(wslns_host_e2e name rc out)
  set(_args -DRC=${rc})
  if(NOT out STREQUAL "")
    list(APPEND _args "-DOUT=${out}")
  endif()
  if(DEFINED WSLNS_HOST_E2E_NOT)
    list(APPEND _args "-DNOT=${WSLNS_HOST_E2E_NOT}")
  endif()
  string(REPLACE ";" "|" _cmd "${ARGN}") # a list cannot cross -D; expect.cmake splits it again
  add_test(NAME "${name}" COMMAND ${CMAKE_COMMAND} "-DCMD=${_cmd}" ${_args} -P "${WSLNS_HOST_DATA}/expect.cmake")
endfunction()

wslns_host_e2e("host: wslns --from two saved views prints their merged tree (exit 0)" 0
  "VM root  \\[vm\\].*system distro of Ubuntu.*10 / +3 / +1  init\\(Ubuntu\\)"
  "${WSLNS_BIN}/wslns" --color never --from "${_lab}/vm.json" --from "${_lab}/Ubuntu.json")
wslns_host_e2e("host: wslns --from every lab view shows the container four levels deep" 0
  "44 / +7 / +4 / +1  nginx  nginx:master"
  "${WSLNS_BIN}/wslns" --color never ${_all_views})
set(WSLNS_HOST_E2E_NOT "distro Ubuntu  \\[|NoGui  \\[|docker-desktop  \\[|mini_init")
wslns_host_e2e("host: wslns -d keeps only that distro's branch" 0
  "system distro of Debian.*distro Debian  \\[distro\\].*init-systemd\\(De"
  "${WSLNS_BIN}/wslns" --color never -d debian ${_all_views})
unset(WSLNS_HOST_E2E_NOT)
wslns_host_e2e("host: wslns fails a truncated document and keeps the others (exit 1)" 1
  "failed   file [^\n]*truncated.json: not a usable wslns-probe/1 document: not valid JSON"
  "${WSLNS_BIN}/wslns" --color never --from "${_lab}/vm.json" --from "${WSLNS_HOST_DATA}/truncated.json")
wslns_host_e2e("host: wslns with no readable document exits 3" 3 "failed   file [^\n]*no-such-file.json"
  "${WSLNS_BIN}/wslns" --color never --from "${WSLNS_HOST_DATA}/no-such-file.json")
wslns_host_e2e("host: wslns --json - writes wslns-report/1 alone on stdout" 0
  "^{\n\t\"schema\":\t\"wslns-report/1\""
  "${WSLNS_BIN}/wslns" --json - ${_all_views})
wslns_host_e2e("host: wslns --json into a missing directory still prints the tree (exit 1)" 1
  "VM root  \\[vm\\]"
  "${WSLNS_BIN}/wslns" --json "${CMAKE_CURRENT_BINARY_DIR}/no-such-dir/report.json"
  --from "${_lab}/vm.json")
wslns_host_e2e("host: wslns pid finds a VM-root pid at every level (exit 0)" 0
  "pid 44 in VM root is nginx.*container in docker-desktop \\(pid 1: nginx\\) +pid:\\[4026532242\\] +1"
  "${WSLNS_BIN}/wslns" pid 44 ${_all_views})
wslns_host_e2e("host: wslns pid --in a distro translates outwards" 0 "VM root +pid:\\[4026532212\\] +30"
  "${WSLNS_BIN}/wslns" pid 5 --in ubuntu ${_all_views})
wslns_host_e2e("host: wslns pid of a pid not in that view exits 1" 1 ""
  "${WSLNS_BIN}/wslns" pid 9999 ${_all_views})
wslns_host_e2e("host: wslns pid --in vm without a VM-root view exits 1" 1 ""
  "${WSLNS_BIN}/wslns" pid 1 --from "${_lab}/Ubuntu.json")
wslns_host_e2e("host: wslns usage error exits 2" 2 "" "${WSLNS_BIN}/wslns" --frobnicate)
wslns_host_e2e("host: wslns doctor on a saved view gives a verdict per distro" 0 "NoGui +GUI apps: off"
  "${WSLNS_BIN}/wslns" doctor --color never --wslconfig "${CMAKE_CURRENT_SOURCE_DIR}/unit/data/host/plain.wslconfig"
  --from "${_lab}/NoGui.json")
wslns_host_e2e("host: wslns --help prints the usage (exit 0)" 0 "usage: wslns \\[map\\]" "${WSLNS_BIN}/wslns" /?)

if(WSLNS_HAVE_WINDOWS)
  wslns_host_e2e("host: wslns.exe under Wine merges saved views like the POSIX build" 0
    "10 / +3 / +1  init\\(Ubuntu\\)"
    "${WSLNS_WINE}" "${WSLNS_BIN}/wslns.exe" --color never --from "${_lab}/vm.json" --from "${_lab}/Ubuntu.json")
  set_tests_properties("host: wslns.exe under Wine merges saved views like the POSIX build" PROPERTIES
    ENVIRONMENT "${WSLNS_WINE_ENV}" FIXTURES_REQUIRED wine TIMEOUT 300)
endif()

# The merge benchmark is a program, not a test (timings on shared machines are noisy):
# scripts/bench-merge.sh runs it and prints the figures.
add_executable(wslns-bench-merge bench/bench_merge.c)
target_include_directories(wslns-bench-merge PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/unit")
target_compile_definitions(wslns-bench-merge PRIVATE HOST_DATA_DIR="")
target_link_libraries(wslns-bench-merge PRIVATE wslns_host_core)
set_target_properties(wslns-bench-merge PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")

# A --from file above the 64 MiB cap fails its own source only (a sparse file: nothing written).
set(_big "${CMAKE_CURRENT_BINARY_DIR}/host-65MiB.json")
add_test(NAME "host: setup: a 65 MiB --from file" COMMAND truncate -s 65M "${_big}")
set_tests_properties("host: setup: a 65 MiB --from file" PROPERTIES FIXTURES_SETUP host_big)
wslns_host_e2e("host: wslns refuses a --from file above 64 MiB and keeps the others (exit 1)" 1
  "failed   file [^\n]*host-65MiB.json: larger than 64 MiB.*ok       file [^\n]*Ubuntu.json"
  "${WSLNS_BIN}/wslns" --color never --from "${_big}" --from "${_lab}/Ubuntu.json")
set_tests_properties("host: wslns refuses a --from file above 64 MiB and keeps the others (exit 1)"
  PROPERTIES FIXTURES_REQUIRED host_big)
wslns_host_test("host: hostile input costs linear work (hash probes, cmdline_hex, pid table, distros list)" test_host_linear unit/test_host_linear.c)
