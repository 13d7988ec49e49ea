# Windows helper programs for the tests, built by the MinGW sub-build into WSLNS_OUTPUT_DIR;
# the native tree's tests (tests/platform.cmake) run them under Wine.
#   spawn-check.exe          the platform tests, linked with platform_win32.c
#   spawn-child.exe          the child those tests start (prints args, echoes stdin, ...)
#   wsl-stand-in/wsl.exe     relays to wslns-relay-server (a folder of its own, so it can
#                            carry wsl.exe's name)
#   console-check.exe        checks that wsl.exe children leave the user's console alone
#   pipe-check.exe           checks the children's named pipes (name, DACL, one instance)
#   planted/userenv.dll      a DLL planted beside wslns.exe (must never load)
# All static, so Wine needs no MinGW runtime DLLs.
set(_helpers "${CMAKE_CURRENT_LIST_DIR}/helpers")

add_executable(spawn-child "${_helpers}/spawn_child.c")
target_link_libraries(spawn-child PRIVATE wslns_common shell32)
target_link_options(spawn-child PRIVATE -static -municode)

add_executable(spawn-check "${_helpers}/spawn_check.c")
target_include_directories(spawn-check PRIVATE "${CMAKE_CURRENT_LIST_DIR}/unit")
target_link_libraries(spawn-check PRIVATE wslns_platform)
target_link_options(spawn-check PRIVATE -static)

add_executable(wsl-stand-in "${CMAKE_CURRENT_LIST_DIR}/lab/wsl_stand_in.c")
target_link_libraries(wsl-stand-in PRIVATE wslns_common ws2_32)
target_link_options(wsl-stand-in PRIVATE -static -municode)
set_target_properties(wsl-stand-in PROPERTIES
  OUTPUT_NAME wsl RUNTIME_OUTPUT_DIRECTORY "${WSLNS_OUTPUT_DIR}/wsl-stand-in")

# console-check.exe: the console tests' checker and wsl.exe stand-in (tests/native/run.sh).
add_executable(console-check "${_helpers}/console_check.c")
target_link_options(console-check PRIVATE -static -municode)

# pipe-check.exe: the children's named pipes (name, DACL, one instance). It includes
# win/platform/platform_win32.c itself to reach make_pipe, so it does not link wslns_platform
# (only its headers, by their path from win/).
add_executable(pipe-check "${_helpers}/pipe_check.c")
target_include_directories(pipe-check PRIVATE "${PROJECT_SOURCE_DIR}/win")
target_link_libraries(pipe-check PRIVATE wslns_common advapi32)
target_link_options(pipe-check PRIVATE -static)

# planted/userenv.dll: a DLL dropped beside wslns.exe; it must never be loaded.
add_library(planted-userenv SHARED "${_helpers}/planted_dll.c")
set_target_properties(planted-userenv PROPERTIES
  PREFIX "" OUTPUT_NAME userenv RUNTIME_OUTPUT_DIRECTORY "${WSLNS_OUTPUT_DIR}/planted")
target_link_options(planted-userenv PRIVATE -static)
