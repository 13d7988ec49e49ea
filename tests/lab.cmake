# The namespace lab (tests/lab/lab.sh): its process helper and the tests that hold the lab,
# and the probe run inside it, to the kernel's view. Every test starts its own lab in a
# mktemp -d state dir and stops it in a trap, so they can run in parallel.

# The lab's process helper. lab.sh finds it through WSLNS_LAB_INIT, else ${WSLNS_BIN}.
add_executable(wslns-lab-init lab/lab_init.c)
target_compile_definitions(wslns-lab-init PRIVATE _GNU_SOURCE)
target_link_libraries(wslns-lab-init PRIVATE wslns_common)

set(WSLNS_LAB_ENV
    "WSLNS_LAB_INIT=$<TARGET_FILE:wslns-lab-init>"
    "WSLNS_BIN=${WSLNS_BIN}"
    "WSLNS_PROBE=${WSLNS_PROBE}")

# wslns_lab_test(<ctest name> <script> [args...]): a tests/lab/test_*.sh run with the lab's env.
function(wslns_lab_test name script)
  add_test(NAME "${name}" COMMAND bash "${WSLNS_LAB}/${script}" ${ARGN})
  set_tests_properties("${name}" PROPERTIES ENVIRONMENT "${WSLNS_LAB_ENV}" TIMEOUT 300)
endfunction()

wslns_lab_test("lab: builds WSL's namespace layout and tears down without leftovers" test_layout.sh)
wslns_lab_test("lab: exec runs a command in the view's own pid, mount and UTS namespaces" test_exec.sh)
wslns_lab_test("probe: matches the lab's ground truth in every view" test_probe_truth.sh)
wslns_lab_test("probe: agrees with util-linux lsns in every view" test_probe_lsns.sh)
wslns_lab_test("probe: WSLg mount points and X0 agree with the kernel and the lab's WSL layout in every view" test_probe_wslg.sh)
wslns_lab_test("lab: a build under /tmp stays visible in views with a /tmp of their own" test_keep.sh)
wslns_lab_test("lab: ends itself when its owner is killed without running its traps" test_owner.sh)
wslns_lab_test("lab: a start that fails names the layout line and leaves nothing running" test_start_failure.sh)

# The emulator's debug-shell console (tests/lab/wsl --debug-shell runs it): a pty session
# that outlives each wsl.exe, behind a flushing login. The emulator finds it through
# WSLNS_BIN, else the default build tree.
add_executable(wslns-debugshell lab/debugshell_pty.c)
target_link_libraries(wslns-debugshell PRIVATE util)
