# The probe's tests: pure parsers and JSON emission on bytes (unit), then the real binaries on
# this machine: as root, as an unprivileged user, inside fresh pid namespaces, and the size and
# static linking of the shipped probe.
set(WSLNS_PROBE_DATA "${PROJECT_SOURCE_DIR}/tests/unit/data/probe")

wslns_unit_test("probe: /proc parsers (status, stat, cmdline)" test_probe_procfs
  SOURCES unit/test_probe_procfs.c LIBS wslns_probe_core)
target_compile_definitions(test_probe_procfs PRIVATE WSLNS_PROBE_DATA="${WSLNS_PROBE_DATA}")

wslns_unit_test("probe: JSON output is valid UTF-8 JSON and loses no byte" test_probe_json
  SOURCES unit/test_probe_json.c LIBS wslns_probe_core)

wslns_unit_test("probe: os-release, wsl.conf automount root and mountinfo parsers, the tree's terminal-safe escape" test_probe_text
  SOURCES unit/test_probe_text.c LIBS wslns_probe_core)

wslns_unit_test("probe: whole-file reads, errno names and a scan of this machine" test_probe_scan
  SOURCES unit/test_probe_scan.c LIBS wslns_probe_core)

# Checks a probe document read from a file against the schema and the invariants the host
# relies on; the shell tests below run the probe and hand its output to it.
add_executable(probe_doc_check unit/test_probe_doccheck.c)
target_link_libraries(probe_doc_check PRIVATE wslns_cjson wslns_common)
set_target_properties(probe_doc_check PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
set(_check "${CMAKE_BINARY_DIR}/tests/probe_doc_check")
set(_native "${WSLNS_BIN}/wslns-probe-native")
set(_runner "${PROJECT_SOURCE_DIR}/tests/unit/data/probe/run-probe.sh")

add_test(NAME "probe: the native probe maps this machine (schema, self, its namespace)"
  COMMAND sh "${_runner}" plain "${_native}" "${_check}")
add_test(NAME "probe: --tree, --pretty, --version, --help and usage errors"
  COMMAND sh "${_runner}" options "${_native}" "${_check}")
add_test(NAME "probe: as an unprivileged user: exit 1, EACCES in errors, document complete"
  COMMAND sh "${_runner}" nobody "${_native}" "${_check}")
add_test(NAME "probe: reads the ns/pid link only of processes below the view's namespace as root, every link without CAP_SYS_PTRACE"
  COMMAND sh "${_runner}" links "${_native}" "${_check}")
add_test(NAME "probe: in nested pid namespaces: NSpid chains, parents, parent_visible false above the view, NS_GET_PARENT once per namespace"
  COMMAND sh "${_runner}" nested "${_native}" "${_check}")
add_test(NAME "probe: processes that vanish mid-scan are skipped silently (exit 0, no errors)"
  COMMAND sh "${_runner}" churn "${_native}" "${_check}")
add_test(NAME "probe: odd comm and cmdline bytes of live processes round-trip through the JSON"
  COMMAND sh "${_runner}" oddbytes "${_native}" "${_check}")
# The sanitizers' runtime itself needs /proc (it reads /proc/self/maps at start), so a probe
# built with them cannot run where /proc is missing or fake.
if(NOT WSLNS_SANITIZE)
  add_test(NAME "probe: exit 3 without /proc and without NSpid (WSL 1)"
    COMMAND sh "${_runner}" cannotmap "${_native}" "${_check}")
endif()
if(WSLNS_CROSS)
  add_test(NAME "probe: the shipped probe is static, stripped and at most 200 KB"
    COMMAND sh "${_runner}" static "${WSLNS_BIN}/wslns-probe" "${_check}")
  add_test(NAME "probe: the static musl probe maps nested pid namespaces too"
    COMMAND sh "${_runner}" nested "${WSLNS_BIN}/wslns-probe" "${_check}")
endif()
