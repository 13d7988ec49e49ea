# Talking to wsl.exe: unit tests of the list parser and the debug-shell cutter, and the
# end-to-end tests that run wslns (both builds) against the wsl.exe emulator and the lab.
wslns_unit_test("wsl: list parser and wsl.exe text decoding" test_wsl_list
  SOURCES unit/test_wsl_list.c "${PROJECT_SOURCE_DIR}/win/wsl_list.c"
  LIBS wslns_common)
target_include_directories(test_wsl_list PRIVATE "${PROJECT_SOURCE_DIR}/win")

wslns_unit_test("wsl: debug-shell script and tty stream cutter" test_wsl_debugshell
  SOURCES unit/test_wsl_debugshell.c "${PROJECT_SOURCE_DIR}/win/debugshell.c"
  LIBS wslns_common)
target_include_directories(test_wsl_debugshell PRIVATE "${PROJECT_SOURCE_DIR}/win")

# collect.c against the real emulator on a namespace-free stand-in lab (seconds, no lab).
wslns_unit_test("wsl: collection decisions against the emulator" test_wsl_collect
  SOURCES unit/test_wsl_collect.c
  LIBS wslns_host_core)
target_compile_definitions(test_wsl_collect PRIVATE "WSLNS_LAB_SRC=\"${WSLNS_LAB}\"")
set_tests_properties("wsl: collection decisions against the emulator" PROPERTIES TIMEOUT 120)
