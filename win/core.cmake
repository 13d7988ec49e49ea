# Portable core of the host tool: CLI, views, merge, renderers.
target_sources(wslns_host_core PRIVATE source.c view.c)
