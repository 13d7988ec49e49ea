# Fuzzing (docs/fuzzing.md). scripts/fuzz.sh builds each libFuzzer target with clang outside
# this tree (the project compiler is gcc) and runs it; CTest runs a 5 s smoke of each target,
# registered only when clang can link -fsanitize=fuzzer, and not in the sanitizer tree (the
# fuzzer brings ASan and UBSan itself: one run is enough). Inputs the fuzzer once broke a
# parser with are replayed by plain unit tests, which every tree runs.
if(NOT WSLNS_SANITIZE AND NOT DEFINED WSLNS_HAVE_LIBFUZZER)
  set(WSLNS_HAVE_LIBFUZZER OFF)
  find_program(WSLNS_CLANG clang)
  if(WSLNS_CLANG)
    set(_probe "${CMAKE_BINARY_DIR}/libfuzzer-probe")
    file(WRITE "${_probe}.c"
      "#include <stddef.h>\n#include <stdint.h>\n"
      "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\n"
      "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n")
    execute_process(COMMAND "${WSLNS_CLANG}" -fsanitize=fuzzer,address,undefined "${_probe}.c"
                            -o "${_probe}"
                    RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
    if(_rc EQUAL 0)
      set(WSLNS_HAVE_LIBFUZZER ON)
    endif()
  endif()
  set(WSLNS_HAVE_LIBFUZZER ${WSLNS_HAVE_LIBFUZZER} CACHE BOOL "clang can link libFuzzer")
endif()

if(WSLNS_HAVE_LIBFUZZER AND NOT WSLNS_SANITIZE)
  foreach(_target views wsl_list debugshell config procfs diff)
    set(_name "fuzz: ${_target} survives a 5 s smoke")
    add_test(NAME "${_name}"
             COMMAND bash "${PROJECT_SOURCE_DIR}/scripts/fuzz.sh" --smoke ${_target} 5)
    set_tests_properties("${_name}" PROPERTIES
      ENVIRONMENT "WSLNS_FUZZ_DIR=${CMAKE_BINARY_DIR}/fuzz/${_target}" TIMEOUT 300)
  endforeach()
endif()

wslns_unit_test("fuzz: inputs that once broke a parser are handled" test_regress_fuzz
  SOURCES unit/test_regress_fuzz.c LIBS wslns_host_core)

# The committed seeds (and the reproducers of past findings kept among them) through each
# target's contract checks, built by the project compiler: no clang needed, and the
# sanitizer tree runs them under ASan and UBSan.
foreach(_target views wsl_list debugshell procfs diff)
  if(_target STREQUAL "procfs")
    set(_lib wslns_probe_core)
  else()
    set(_lib wslns_host_core)
  endif()
  add_executable(replay_${_target} fuzz/replay.c fuzz/fuzz_${_target}.c)
  target_include_directories(replay_${_target} PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/fuzz")
  target_link_libraries(replay_${_target} PRIVATE ${_lib} wslns_common)
  set_target_properties(replay_${_target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
  add_test(NAME "fuzz: ${_target} seeds pass the fuzz target's checks"
           COMMAND replay_${_target} "${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${_target}")
endforeach()
