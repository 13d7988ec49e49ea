# A Windows tool that feels native: Ctrl+C and children, finding wsl.exe, the console
# (progress line, UTF-8 into files and pipes, usage), the version resource and the release
# package. One driver, tests/native/run.sh CASE; the Windows cases run wslns.exe under Wine.
# The collection cases use the emulator on the namespace-free stand-in lab: no lab, no lock.
set(_native_env "WSLNS_BIN=${WSLNS_BIN}" "WSLNS_LAB=${WSLNS_LAB}" "WSLNS_SRC=${PROJECT_SOURCE_DIR}"
    "WSLNS_HOST_DATA=${PROJECT_SOURCE_DIR}/tests/unit/data/host" "WSLNS_WINE=${WSLNS_WINE}"
    ${WSLNS_WINE_ENV})
set(_native_cases
  "interrupt-posix|native (POSIX): SIGINT stops the collection, kills every child and still prints the views that answered (exit 1)"
  "terminate-posix|native (POSIX): SIGTERM does the same as SIGINT"
  "progress-posix|native (POSIX): a live progress line on a terminal's stderr, none into a file"
  "no-wsl-posix|native (POSIX): wsl.exe is taken from absolute PATH entries only, never the current directory, and none gives a clear message"
  "no-self-dir-posix|native (POSIX): when wslns cannot tell its own folder it refuses to run, and never takes a wslns-probe from the current directory"
  "usage-posix|native (POSIX): --help, -h and /? print the usage in 80 columns with cmd.exe and PowerShell examples")
if(WSLNS_HAVE_WINDOWS)
  list(APPEND _native_cases
    "interrupt-windows|native (Windows under Wine): Ctrl+C stops the collection, kills every wsl.exe and still prints the views that answered (exit 1)"
    "kill-windows|native (Windows under Wine): killing wslns.exe kills every wsl.exe it started (job objects)"
    "not-installed-windows|native (Windows under Wine): without WSL, says it is not installed and how to install it, and never runs a wsl.exe from the current directory"
    "usage-windows|native (Windows under Wine): --help, -h and /? print the same usage as the POSIX build"
    "unicode-windows|native (Windows under Wine): non-ASCII --from and --json paths work and the report file is valid UTF-8"
    "pipe-windows|native (Windows under Wine): the tree through a pipe is UTF-8 without colour escapes (--color auto), --json - is ASCII JSON that survives any code page"
    "progress-windows|native (Windows under Wine): on a console, a live progress line on stderr, cleared before the tree"
    "dll-planting-windows|native (Windows under Wine): a userenv.dll planted beside wslns.exe is never loaded (System32 only), and doctor still finds the profile"
    "imports-windows|native (Windows under Wine): wslns.exe imports only KnownDLLs and restricts later loads to System32, so no DLL is looked for in its own folder"
    "console-timeout-windows|native (Windows under Wine): a wsl.exe killed at the timeout leaves the user's console as it was (modes and both code pages)"
    "console-interrupt-windows|native (Windows under Wine): after Ctrl+C the user's console is as it was, even when something changed it while wslns ran"
    "console-doctor-interrupt-windows|native (Windows under Wine): after Ctrl+C during wslns doctor the user's console is as it was"
    "console-windows|native (Windows under Wine): on a console, UTF-8 text arrives whole (no U+FFFD from byte-wise writes)"
    "version-windows|native (Windows under Wine): the VERSIONINFO resource, wslns.exe --version and wslns-probe --version all say project(VERSION)")
endif()
foreach(_c IN LISTS _native_cases)
  string(REPLACE "|" ";" _c "${_c}")
  list(GET _c 0 _case)
  list(GET _c 1 _name)
  add_test(NAME "${_name}" COMMAND bash "${PROJECT_SOURCE_DIR}/tests/native/run.sh" ${_case})
  set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_native_env}" TIMEOUT 300)
  if(_case MATCHES "-windows$")
    set_tests_properties("${_name}" PROPERTIES FIXTURES_REQUIRED wine)
  endif()
endforeach()

# Needs the cross toolchains (MinGW, musl), not Wine.
if(WSLNS_CROSS)
  set(_name "native: scripts/package.sh builds the same zip twice in two build dirs, with the five files and a checksum that verifies")
  add_test(NAME "${_name}" COMMAND bash "${PROJECT_SOURCE_DIR}/tests/native/run.sh" package)
  set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_native_env}" TIMEOUT 300)
endif()
