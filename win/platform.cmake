# The platform layer: platform_<os>.c (every plat_* function) and entry_<os>.c (main or
# wmain, which converts the arguments to UTF-8 and calls wslns_main).
#
# platform_<os>.c is a library of its own, wslns_platform, so the platform tests
# (tests/helpers/spawn_check.c) link exactly the code the host tool runs, without the core.
if(WIN32)
  add_library(wslns_platform STATIC platform_win32.c files.c)
  set(WSLNS_HOST_ENTRY_SOURCES entry_win32.c)
else()
  add_library(wslns_platform STATIC platform_posix.c files.c)
  set(WSLNS_HOST_ENTRY_SOURCES entry_posix.c)
endif()
target_include_directories(wslns_platform PUBLIC "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(wslns_platform PUBLIC wslns_common)
target_link_libraries(wslns_host_core PUBLIC wslns_platform)
