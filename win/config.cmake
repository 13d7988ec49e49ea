# WSL's config files: the reader (wslconf.c) and the effective GUI-apps state built on it
# (gui_state.c). A library of its own so the unit tests and the fuzzer link only this and
# wslns_common; the host core links it for `wslns doctor`.
add_library(wslns_config STATIC wslconf.c gui_state.c)
target_include_directories(wslns_config PUBLIC .)
target_link_libraries(wslns_config PUBLIC wslns_common)
target_link_libraries(wslns_host_core PUBLIC wslns_config)
