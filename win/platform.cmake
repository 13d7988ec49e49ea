# The platform layer: platform_<os>.c (every plat_* function) and entry_<os>.c (main or
# wmain, which converts the arguments to UTF-8 and calls wslns_main).
#
# platform_<os>.c is a library of its own, wslns_platform, so the platform tests
# (tests/helpers/spawn_check.c) link exactly the code the host tool runs, without the core.
if(WIN32)
  add_library(wslns_platform STATIC platform_win32.c files.c record.c)
  set(WSLNS_HOST_ENTRY_SOURCES entry_win32.c)
  set(_wslns_os_sources platform_win32.c files.c)
  target_compile_definitions(wslns_platform PRIVATE WSLNS_PLATFORM_NAME="windows")
else()
  add_library(wslns_platform STATIC platform_posix.c files.c record.c)
  set(WSLNS_HOST_ENTRY_SOURCES entry_posix.c)
  set(_wslns_os_sources platform_posix.c files.c)
  target_compile_definitions(wslns_platform PRIVATE WSLNS_PLATFORM_NAME="posix")
endif()
# Recording and replaying (record.h, docs/recording.md): the operating system's versions of
# the functions that decide a run get an os_ name, and record.c defines the platform.h names
# over them (straight through unless --record or --replay is on).
foreach(_fn run_children random_bytes is_elevated find_wsl self_dir default_wslconfig_path
            path_exists read_file now debug_shell_policy)
  set_property(SOURCE ${_wslns_os_sources} APPEND PROPERTY COMPILE_DEFINITIONS
               "plat_${_fn}=plat_os_${_fn}")
endforeach()
target_include_directories(wslns_platform PUBLIC "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(wslns_platform PUBLIC wslns_common wslns_cjson)
target_link_libraries(wslns_host_core PUBLIC wslns_platform)
