#!/usr/bin/env bash
# Fuzzes the config reader (win/config/wslconf.c) and the GUI-apps evaluation (win/config/gui_state.c):
#
#   scripts/fuzz-config.sh [SECONDS]        (default 60)
#
# Kept for the commands in docs/config.md: scripts/fuzz.sh builds and runs every fuzz target
# (docs/fuzzing.md); this runs only its config target, with the same exit status and
# WSLNS_FUZZ_DIR (findings land in $WSLNS_FUZZ_DIR/config/).
exec "$(dirname "$0")/fuzz.sh" --smoke config "${1:-60}"
