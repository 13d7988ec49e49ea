# Recordings (docs/recording.md): the SHA-256 the probe is named by, recording and replaying
# a run against the emulator and the lab in both builds, and every recording under
# tests/recordings/ replayed to its stored report.
wslns_unit_test("record: sha256 gives the NIST example digests" test_record_sha256
  SOURCES unit/test_record_sha256.c
  LIBS wslns_common)

# Record a run against the emulator and a lab of its own (each build), then replay it with
# both builds, the lab stopped: the same report byte for byte and the same exit code.
set(_record_env "WSLNS_BIN=${WSLNS_BIN}" "WSLNS_LAB=${WSLNS_LAB}" "WSLNS_PROBE=${WSLNS_VIEW_PROBE}")
if(WSLNS_HAVE_WINDOWS)
  list(APPEND _record_env "WSLNS_WINE=${WSLNS_WINE}" ${WSLNS_WINE_ENV})
endif()
set(_record_cases
  "map|a recorded map run replays to the identical report in both builds, without the lab"
  "partial|a recorded run with a hung and a garbage view replays to the same failures in both builds"
  "doctor|a recorded doctor run replays to the identical verdicts in both builds"
  "pid|a recorded pid translation replays to the identical report in both builds")
wslns_build_cases(record "${PROJECT_SOURCE_DIR}/tests/record/run.sh" _record_env
  CASES ${_record_cases})
if(WSLNS_HAVE_WINDOWS)
  # The replays above use Wine even in the POSIX build's cases.
  foreach(_c IN LISTS _record_cases)
    string(REPLACE "|" ";" _c "${_c}")
    list(GET _c 1 _what)
    set_tests_properties("record (POSIX build): ${_what}" PROPERTIES FIXTURES_REQUIRED wine)
  endforeach()
endif()

# Every recording under tests/recordings/ (made from the emulator, or edited by hand to hold
# what real Windows does) replays to its stored report and exit code, and the claims of its
# `expect` file hold. No lab: a recording is the whole machine.
set(_replay_env "WSLNS_BIN=${WSLNS_BIN}" "WSLNS_RECORDINGS=${PROJECT_SOURCE_DIR}/tests/recordings")
set(_name "record (POSIX build): every recording under tests/recordings replays to its stored report and claims")
add_test(NAME "${_name}" COMMAND bash "${PROJECT_SOURCE_DIR}/tests/record/replay_all.sh" posix)
set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_replay_env}" TIMEOUT 300)
if(WSLNS_HAVE_WINDOWS)
  set(_name "record (Windows build under Wine): every recording under tests/recordings replays to its stored report and claims")
  add_test(NAME "${_name}" COMMAND bash "${PROJECT_SOURCE_DIR}/tests/record/replay_all.sh" windows)
  set_tests_properties("${_name}" PROPERTIES
    ENVIRONMENT "${_replay_env};WSLNS_WINE=${WSLNS_WINE};${WSLNS_WINE_ENV}" TIMEOUT 300
    FIXTURES_REQUIRED wine)
endif()

# A recording may come from anyone: tampered copies (not JSON, deep nesting, over the caps,
# wrong types, marker floods, missing files, other paths) are refused or replayed to a
# divergence, never a crash, never a read or write outside the folder.
set(_name "record (POSIX build): hostile recordings are refused or diverge, never crash or reach other files")
add_test(NAME "${_name}" COMMAND bash "${PROJECT_SOURCE_DIR}/tests/record/hostile.sh")
set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_replay_env}" TIMEOUT 300)
