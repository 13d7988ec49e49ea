# wslns doctor: the verdict logic on synthetic views (unit), and end-to-end runs against the
# wsl.exe emulator and a lab of their own for every scenario the issue names, in both builds
# (tests/doctor/run.sh BUILD CASE; the Windows build under Wine through the relay).
wslns_unit_test("doctor: verdicts set the config files against the measured evidence"
  test_doctor_verdict
  SOURCES unit/test_doctor_verdict.c
  LIBS wslns_host_core)

set(_doctor_env "WSLNS_BIN=${WSLNS_BIN}" "WSLNS_LAB=${WSLNS_LAB}" "WSLNS_PROBE=${WSLNS_VIEW_PROBE}"
    "WSLNS_WINE=${WSLNS_WINE}" ${WSLNS_WINE_ENV})
set(_doctor_cases
  "gui-on|GUI apps on everywhere: every distro on, exit 0, a stopped distro left alone, --html"
  "gui-off-global|.wslconfig turns GUI apps off and no distro has a system distro: every distro off, exit 0"
  "wsl-conf-off|NoGui's wsl.conf turns GUI apps off for it alone, with its line and fix (not elevated)"
  "restart-pending|.wslconfig says off while the VM still runs with GUI apps: restart pending, exit 1"
  "tmp-mount|a tmpfs over /tmp hiding X0 is broken, with a fix that works on the read-only mount"
  "inbox|the inbox Windows 10 wsl.exe (no --system, no --version) is named as why GUI apps are off"
  "offline|--from a saved probe document with --wslconfig or the profile's .wslconfig, without wsl.exe")
wslns_build_cases(doctor "${PROJECT_SOURCE_DIR}/tests/doctor/run.sh" _doctor_env CASES ${_doctor_cases})
