# The platform layer: platform_<os>.c (every plat_* function) and entry_<os>.c (main or
# wmain, which converts the arguments to UTF-8 and calls wslns_main).
if(WIN32)
  target_sources(wslns_host_core PRIVATE platform_win32.c)
  set(WSLNS_HOST_ENTRY_SOURCES entry_win32.c)
else()
  target_sources(wslns_host_core PRIVATE platform_posix.c)
  set(WSLNS_HOST_ENTRY_SOURCES entry_posix.c)
endif()
