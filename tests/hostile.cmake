# The hostile-view suite (docs/hostile.md): one view answers hostile bytes, the others are
# good; wslns must exit 1, name the source and the problem, and keep every good view.
# tests/hostile/run.sh CASE BUILD MODE; big inputs are made at test time in the build tree.
set(_hostile_env "WSLNS_BIN=${WSLNS_BIN}" "WSLNS_LAB=${WSLNS_LAB}" "WSLNS_PROBE=${WSLNS_VIEW_PROBE}"
    "WSLNS_FIXTURES=${PROJECT_SOURCE_DIR}/tests/unit/data/host/lab"
    "WSLNS_HOSTILE_WORK=${CMAKE_BINARY_DIR}/hostile" "WSLNS_WINE=${WSLNS_WINE}" ${WSLNS_WINE_ENV})
# case|what it proves|modes (f: --from, e: emulator on POSIX, w: emulator on Windows too)
set(_hostile_cases
  "empty|empty output fails that view only|fe"
  "null|a JSON null fails that view only|f"
  "truncated|truncated JSON is named as such|few"
  "bad-utf8|invalid UTF-8 in a text is said, not silently replaced|f"
  "bad-utf8-comm|invalid UTF-8 in a process name without comm_hex is said|f"
  "huge|a 100 MB answer is capped and said|few"
  "deep|100,000-deep nesting is refused without a crash|fe"
  "numbers|negative pids, 2^64 and 1e400 are dropped and said|fe"
  "types|wrong types fail that view only|f"
  "nspid-contradicts|NSpid chains that contradict the namespace parents are said|fe"
  "cycle|a cycle in namespace parents never loops and is said|few"
  "self-parent|a namespace that is its own parent is dropped and said|f"
  "duplicates|duplicate processes are dropped and said|fe"
  "unlisted-ns|processes in namespaces the document does not list are said|fe"
  "other-boot|a document from another boot is not merged and said|fe"
  "schema|an unknown schema version fails that view only|f"
  "many-processes|more than 1,000,000 processes in one view is refused and said|f"
  "many-namespaces|more than 100,000 namespaces in one view is refused and said|f"
  "many-errors|more than 100,000 probe errors in one view is refused and said|f"
  "many-args|a command line of more than 65,536 arguments drops that process and says so|f"
  "many-warnings|past 20 dropped entries the rest are counted, never lost|f"
  "deep-parents|a parent chain deeper than 62 levels is cut and said|fe"
  "hang|a probe that never answers times out|ew"
  "keep-open|a probe that answers and keeps the pipe open times out|ew")
foreach(_c IN LISTS _hostile_cases)
  string(REPLACE "|" ";" _c "${_c}")
  list(GET _c 0 _case)
  list(GET _c 1 _what)
  list(GET _c 2 _modes)
  set(_runs)
  if(_modes MATCHES "f")
    list(APPEND _runs "posix|from|POSIX, --from")
    if(WSLNS_HAVE_WINDOWS)
      list(APPEND _runs "windows|from|Windows under Wine, --from")
    endif()
  endif()
  if(_modes MATCHES "e")
    list(APPEND _runs "posix|emu|POSIX, emulator")
  endif()
  if(_modes MATCHES "w" AND WSLNS_HAVE_WINDOWS)
    list(APPEND _runs "windows|emu|Windows under Wine, emulator")
  endif()
  foreach(_r IN LISTS _runs)
    string(REPLACE "|" ";" _r "${_r}")
    list(GET _r 0 _build)
    list(GET _r 1 _mode)
    list(GET _r 2 _label)
    set(_name "hostile (${_label}): ${_what}; the other views stay")
    add_test(NAME "${_name}"
             COMMAND bash "${PROJECT_SOURCE_DIR}/tests/hostile/run.sh" ${_case} ${_build} ${_mode})
    # The run's own guard (twice its good views' budget) fires first.
    set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_hostile_env}" TIMEOUT 400)
    if(_build STREQUAL "windows")
      set_tests_properties("${_name}" PROPERTIES FIXTURES_REQUIRED wine)
    endif()
  endforeach()
endforeach()

# The caps outside a view's document (tests/hostile/limits.sh CASE BUILD).
set(_limit_cases
  "probe-size|a --probe file past 64 MiB is refused and said|pw"
  "wslconfig|a .wslconfig past 1 MiB is not read and a finding says so|pw"
  "list-size|a wsl --list answer past 1 MiB is refused, never parsed cut|p")
foreach(_c IN LISTS _limit_cases)
  string(REPLACE "|" ";" _c "${_c}")
  list(GET _c 0 _case)
  list(GET _c 1 _what)
  list(GET _c 2 _builds)
  set(_runs posix)
  if(_builds MATCHES "w" AND WSLNS_HAVE_WINDOWS)
    list(APPEND _runs windows)
  endif()
  foreach(_build IN LISTS _runs)
    if(_build STREQUAL "windows")
      set(_label "Windows under Wine")
    else()
      set(_label "POSIX")
    endif()
    set(_name "limits (${_label}): ${_what}")
    add_test(NAME "${_name}"
             COMMAND bash "${PROJECT_SOURCE_DIR}/tests/hostile/limits.sh" ${_case} ${_build})
    set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_hostile_env}" TIMEOUT 300)
    if(_build STREQUAL "windows")
      set_tests_properties("${_name}" PROPERTIES FIXTURES_REQUIRED wine)
    endif()
  endforeach()
endforeach()

# No untrusted text acts on the console in any command (tests/hostile/terminal.sh BUILD).
set(_terminal_runs posix)
if(WSLNS_HAVE_WINDOWS)
  list(APPEND _terminal_runs windows)
endif()
foreach(_build IN LISTS _terminal_runs)
  if(_build STREQUAL "windows")
    set(_label "Windows under Wine")
  else()
    set(_label "POSIX")
  endif()
  string(CONCAT _name "hostile (${_label}): no ESC, BEL, C1 or invisible character from "
         "untrusted text reaches the console in any command, and no spoofed fix line")
  add_test(NAME "${_name}" COMMAND bash "${PROJECT_SOURCE_DIR}/tests/hostile/terminal.sh" ${_build})
  set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_hostile_env}" TIMEOUT 300)
  if(_build STREQUAL "windows")
    set_tests_properties("${_name}" PROPERTIES FIXTURES_REQUIRED wine)
  endif()
endforeach()

# No process hides by looking like wslns's own (tests/hostile/impostors.sh BUILD, own lab).
foreach(_build IN LISTS _terminal_runs)
  if(_build STREQUAL "windows")
    set(_label "Windows under Wine")
  else()
    set(_label "POSIX")
  endif()
  string(CONCAT _name "hostile (${_label}, emulator): processes named like wslns's own are in "
         "the tree, JSON and HTML; wslns's own of this run stay out")
  add_test(NAME "${_name}" COMMAND bash "${PROJECT_SOURCE_DIR}/tests/hostile/impostors.sh" ${_build})
  set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_hostile_env}" TIMEOUT 600
                       RESOURCE_LOCK wslns_lab)
  if(_build STREQUAL "windows")
    set_tests_properties("${_name}" PROPERTIES FIXTURES_REQUIRED wine)
  endif()
endforeach()
