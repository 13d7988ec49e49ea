# What talks to wsl.exe: list parsing, the debug-shell stream, collection of views.
target_sources(wslns_host_core PRIVATE collect.c wsl_list.c debugshell.c)
