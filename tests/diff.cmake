# wslns diff (docs/diff.md): unit tests of win/diff.c, and the command on saved reports in
# both builds (exit 0 unchanged, 1 changed, 2 bad input). The lab end-to-end case (a process
# killed and another started between two runs) is tests/e2e/run.sh's "diff" (e2e.cmake).
wslns_host_test("diff: started, ended, reused pids, namespaces, views, another boot, bad input"
  test_host_diff unit/test_host_diff.c)

set(_diff "${WSLNS_HOST_DATA}/diff")
set(_diff_cases
  "0|no changes between|identical reports print no changes (exit 0)|old.json|old.json"
  "1|processes: 1 started, 1 ended\n  \\+ pid 105 in distro Ubuntu: top -b\n  - pid 5 in distro Ubuntu: sleep 680001\n$|a killed and a started process are one ended, one started (exit 1)|old.json|new.json"
  "1|^another boot: boot_id|another boot is said first (exit 1)|old.json|another-boot.json")
set(_diff_programs "POSIX build|${WSLNS_BIN}/wslns")
if(WSLNS_HAVE_WINDOWS)
  list(APPEND _diff_programs "Windows build under Wine|${WSLNS_WINE}|${WSLNS_BIN}/wslns.exe")
endif()
foreach(_p IN LISTS _diff_programs)
  string(REPLACE "|" ";" _p "${_p}")
  list(GET _p 0 _label)
  list(REMOVE_AT _p 0)
  foreach(_c IN LISTS _diff_cases)
    string(REPLACE "|" ";" _c "${_c}")
    list(GET _c 0 _rc)
    list(GET _c 1 _out)
    list(GET _c 2 _what)
    list(GET _c 3 _old)
    list(GET _c 4 _new)
    set(_name "diff (${_label}): ${_what}")
    wslns_host_e2e("${_name}" ${_rc} "${_out}" ${_p} diff --color never "${_diff}/${_old}" "${_diff}/${_new}")
  endforeach()
  set(_name "diff (${_label}): a probe document instead of a report exits 2 naming the file")
  string(REPLACE ";" "|" _cmd "${_p};diff;${_diff}/old.json;${WSLNS_HOST_DATA}/lab/vm.json")
  add_test(NAME "${_name}" COMMAND ${CMAKE_COMMAND} "-DCMD=${_cmd}" -DRC=2
    "-DERR=wslns: diff: [^\n]*vm.json: not a wslns-report/1 document: schema: expected \"wslns-report/1\""
    -P "${WSLNS_HOST_DATA}/expect.cmake")
  set(_name "diff (${_label}): --json - writes wslns-diff/1 alone on stdout")
  wslns_host_e2e("${_name}" 1 "^{\n\t\"schema\":\t\"wslns-diff/1\"" ${_p} diff --json - "${_diff}/old.json" "${_diff}/new.json")
endforeach()
if(WSLNS_HAVE_WINDOWS)
  get_property(_tests DIRECTORY PROPERTY TESTS)
  foreach(_t IN LISTS _tests)
    if(_t MATCHES "^diff \\(Windows build")
      set_tests_properties("${_t}" PROPERTIES ENVIRONMENT "${WSLNS_WINE_ENV}" FIXTURES_REQUIRED wine TIMEOUT 300)
    endif()
  endforeach()
endif()

# A report above the --from cap (the 65 MiB sparse file of host.cmake) is refused unread.
set(_name "diff (POSIX build): a report above 64 MiB exits 2 naming the file")
string(REPLACE ";" "|" _cmd "${WSLNS_BIN}/wslns;diff;${_diff}/old.json;${CMAKE_CURRENT_BINARY_DIR}/host-65MiB.json")
add_test(NAME "${_name}" COMMAND ${CMAKE_COMMAND} "-DCMD=${_cmd}" -DRC=2
  "-DERR=wslns: diff: [^\n]*host-65MiB.json: larger than 64 MiB"
  -P "${WSLNS_HOST_DATA}/expect.cmake")
set_tests_properties("${_name}" PROPERTIES FIXTURES_REQUIRED host_big)
