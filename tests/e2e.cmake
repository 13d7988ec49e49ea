# Talking to wsl.exe: unit tests of the list parser and the debug-shell cutter, and the
# end-to-end tests that run wslns (both builds) against the wsl.exe emulator and the lab.
wslns_unit_test("wsl: list parser and wsl.exe text decoding" test_wsl_list
  SOURCES unit/test_wsl_list.c "${PROJECT_SOURCE_DIR}/win/wsl/wsl_list.c"
  LIBS wslns_common)
target_include_directories(test_wsl_list PRIVATE "${PROJECT_SOURCE_DIR}/win")

wslns_unit_test("wsl: debug-shell script and tty stream cutter" test_wsl_debugshell
  SOURCES unit/test_wsl_debugshell.c "${PROJECT_SOURCE_DIR}/win/wsl/debugshell.c"
  LIBS wslns_common)
target_include_directories(test_wsl_debugshell PRIVATE "${PROJECT_SOURCE_DIR}/win")

# collect.c against the real emulator on a namespace-free stand-in lab (seconds, no lab).
wslns_unit_test("wsl: collection decisions against the emulator" test_wsl_collect
  SOURCES unit/test_wsl_collect.c
  LIBS wslns_host_core)
target_compile_definitions(test_wsl_collect PRIVATE "WSLNS_LAB_SRC=\"${WSLNS_LAB}\"")
set_tests_properties("wsl: collection decisions against the emulator" PROPERTIES TIMEOUT 300
  ENVIRONMENT "WSLNS_BIN=${WSLNS_BIN}")
add_dependencies(test_wsl_collect wslns-debugshell)

# End to end: wslns against the emulator and a lab of its own (tests/e2e/run.sh BUILD CASE;
# each starts and stops its own lab in a mktemp -d WSLNS_LAB_DIR, so they run in parallel:
# lab.sh stop goes by (pid, starttime) taken while its lab runs, never by a namespace inode
# that the kernel may already have given to another test's new lab).
set(_e2e_env "WSLNS_BIN=${WSLNS_BIN}" "WSLNS_LAB=${WSLNS_LAB}" "WSLNS_PROBE=${WSLNS_VIEW_PROBE}"
    "WSLNS_WINE=${WSLNS_WINE}" ${WSLNS_WINE_ENV})
set(_e2e_cases
  "truth|the merged tree equals the lab's ground truth (every process, every pid at every level, every parent)"
  "not-elevated|a refused debug shell leaves the VM level as a placeholder and changes nothing else"
  "gui-off|a distro with GUI apps off sits directly under the VM root"
  "hang|a hanging distro times out while the others are reported (exit 1)"
  "start-budget|a stopped distro started by --all gets WSL's start budget beyond its --timeout"
  "garbage|a garbage probe answer fails that view only (exit 1)"
  "real-names|system distros are labelled from WSL's name for their pid 1, init(), without WSLg's processes"
  "spaced-name|a distro name with a space (only third-party tools make one) is skipped, never passed to -d"
  "policy-off|the AllowDebugShell=0 policy skips the VM level (Windows: read from the registry, no debug shell run)"
  "debug-shell-unavailable|a missing debug-shell pipe while a WSL 2 distro runs is not called VM not running"
  "lang-de|German wsl.exe output classifies every view as English does (GUI off, refusals, unknown and no distro)"
  "lang-ja|Japanese wsl.exe output classifies every view as English does (GUI off, refusals, unknown and no distro)"
  "diff|wslns diff of two runs around a killed and a started process lists exactly those two (exit 1)")
wslns_build_cases(e2e "${PROJECT_SOURCE_DIR}/tests/e2e/run.sh" _e2e_env CASES ${_e2e_cases})
if(WSLNS_HAVE_WINDOWS)
  set(_name "e2e: the POSIX and the Windows build report the same lab identically")
  add_test(NAME "${_name}" COMMAND bash "${PROJECT_SOURCE_DIR}/tests/e2e/run.sh" both same-json)
  set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_e2e_env}" FIXTURES_REQUIRED wine TIMEOUT 300)
endif()

# The VM root through the debug shell as WSL gives it: a login that flushes early input and a
# console that outlives wsl.exe (tests/e2e/debugshell.sh BUILD CASE; docs/wsl-emulator.md).
set(_debugshell_cases
  "flush|the VM-root view arrives through a login that flushes early input"
  "heredoc|the VM-root view arrives through a console left inside an open heredoc"
  "noecho|the VM-root view arrives through a console left with echo off"
  "halfline|the VM-root view arrives through a console left with half a line typed"
  "killed|a run killed mid-script leaves a console the next run still uses, and its directory is removed"
  "mktemp-fail|mktemp failing in the debug shell fails the view and runs nothing"
  "stale-dirs|old directories of killed views are removed, young, foreign and linked ones stay")
wslns_build_cases(debugshell "${PROJECT_SOURCE_DIR}/tests/e2e/debugshell.sh" _e2e_env
  CASES ${_debugshell_cases})
