# Tests of the platform layer (win/platform_<os>.c) and of the Wine relay for wsl.exe.
#
# One driver, tests/helpers/spawn_check.c, is built natively (here) and for Windows (by the
# MinGW sub-build, tests/win32-helpers.cmake); every case below runs in both, the Windows one
# under Wine, so CreateProcessW quoting, pipes, UTF-16 and TerminateProcess are exercised
# for real. Each case is its own CTest test: `spawn-check NAME` runs just that case.
set(_helpers "${PROJECT_SOURCE_DIR}/tests/helpers")

add_executable(spawn-child "${_helpers}/spawn_child.c")
target_link_libraries(spawn-child PRIVATE wslns_common)
add_executable(spawn-check "${_helpers}/spawn_check.c")
target_include_directories(spawn-check PRIVATE "${PROJECT_SOURCE_DIR}/tests/unit")
target_link_libraries(spawn-check PRIVATE wslns_platform)
# The driver finds spawn-child next to itself.
set_target_properties(spawn-child spawn-check PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")

# The Linux side of the relay: runs the wsl.exe emulator for wsl-stand-in\wsl.exe.
add_executable(wslns-relay-server "${PROJECT_SOURCE_DIR}/tests/lab/relay_server.c")
target_link_libraries(wslns-relay-server PRIVATE wslns_common)

set(_platform_cases
  "arguments with spaces, quotes, backslashes, tabs, empty strings and non-ASCII reach the child intact"
  "stdin bytes reach the child exactly"
  "1 MB on stdout and stderr at once does not deadlock"
  "output beyond max_output is read, dropped and flagged"
  "a child that never exits is killed at the timeout"
  "a timeout also kills the child's own children"
  "parallel children run at the same time (each waits for the others to start)"
  "70 children at once all finish"
  "the stop callback kills the child early"
  "keep_stdin_open leaves stdin open until the child is killed"
  "feed answers the child as it goes, and prods it when it says nothing"
  "env_add reaches the child (WSL_UTF8=1)"
  "a missing program gives spawn_error"
  "exit codes 0, 3, 255 and -1 come back as the OS reports them"
  "files round-trip bytes exactly and max_bytes truncates"
  "path join, self dir, getenv and monotonic time")

foreach(_case IN LISTS _platform_cases)
  add_test(NAME "platform: ${_case} (POSIX)" COMMAND spawn-check "${_case}")
  set_tests_properties("platform: ${_case} (POSIX)" PROPERTIES TIMEOUT 300)
  if(WSLNS_HAVE_WINDOWS)
    add_test(NAME "platform: ${_case} (Windows under Wine)"
             COMMAND "${WSLNS_WINE}" "${WSLNS_BIN}/spawn-check.exe" "${_case}")
    set_tests_properties("platform: ${_case} (Windows under Wine)" PROPERTIES
      ENVIRONMENT "${WSLNS_WINE_ENV}" FIXTURES_REQUIRED wine TIMEOUT 300)
  endif()
endforeach()

# POSIX only: Wine's GetProcessHandleCount always says 0, so the Windows build cannot count
# its handles there (on real Windows `spawn-check.exe outlives` does).
add_test(NAME "platform: no pipe, process or thread handle outlives a call (POSIX)"
         COMMAND spawn-check "no pipe, process or thread handle outlives a call")

if(WSLNS_HAVE_WINDOWS)
  set(_case "the same arguments survive CommandLineToArgvW (wsl.exe -e's parser)")
  add_test(NAME "platform: ${_case} (Windows under Wine)"
           COMMAND "${WSLNS_WINE}" "${WSLNS_BIN}/spawn-check.exe" "${_case}")
  set_tests_properties("platform: ${_case} (Windows under Wine)" PROPERTIES
    ENVIRONMENT "${WSLNS_WINE_ENV}" FIXTURES_REQUIRED wine TIMEOUT 300)
endif()

# The children's named pipes (tests/helpers/pipe_check.c): a random name, a DACL naming only
# this user, no second instance, no second client. Windows only (POSIX pipes have no name).
if(WSLNS_HAVE_WINDOWS)
  set(_name "platform: a child's pipes are this user's alone: random name, one-entry DACL, no second instance or client (Windows under Wine)")
  add_test(NAME "${_name}" COMMAND "${WSLNS_WINE}" "${WSLNS_BIN}/pipe-check.exe")
  set_tests_properties("${_name}" PROPERTIES
    ENVIRONMENT "${WSLNS_WINE_ENV}" FIXTURES_REQUIRED wine TIMEOUT 300)
endif()

# The relay: wsl-stand-in\wsl.exe under Wine -> loopback -> wslns-relay-server -> an emulator
# (here tests/helpers/fake_wsl.sh, which echoes what it got). relay_check.sh starts the
# server in a temporary directory, runs one case of spawn-check.exe and stops the server.
if(WSLNS_HAVE_WINDOWS)
  foreach(_case
      "wsl.exe stand-in relays args, stdin, stdout, stderr and exit code"
      "the relay carries 3 MiB each way without loss"
      "an emulator exit of 255 reaches Windows as -1"
      "killing the stand-in kills the emulator's process group")
    add_test(NAME "relay: ${_case} under Wine"
             COMMAND bash "${_helpers}/relay_check.sh" "$<TARGET_FILE:wslns-relay-server>"
                     "${_helpers}/fake_wsl.sh" "${WSLNS_WINE}" "${WSLNS_BIN}/spawn-check.exe" "${_case}")
    set_tests_properties("relay: ${_case} under Wine" PROPERTIES
      ENVIRONMENT "${WSLNS_WINE_ENV}" FIXTURES_REQUIRED wine TIMEOUT 300)
  endforeach()
  add_test(NAME "relay: stopping wslns-relay-server kills the emulators it runs"
           COMMAND bash "${_helpers}/relay_check.sh" "$<TARGET_FILE:wslns-relay-server>"
                   "${_helpers}/fake_wsl.sh" "${WSLNS_WINE}" "${WSLNS_BIN}/spawn-check.exe" --server-stop)
  set_tests_properties("relay: stopping wslns-relay-server kills the emulators it runs" PROPERTIES
    ENVIRONMENT "${WSLNS_WINE_ENV}" FIXTURES_REQUIRED wine TIMEOUT 300)
endif()
