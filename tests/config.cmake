# WSL's config files: the reader against sample files and WSL's exact warnings, the GUI-apps
# state with each of its causes, and (when clang's libFuzzer is there) a short fuzzing run.
wslns_unit_test("config: reader reads .wslconfig and wsl.conf as WSL does" test_config_reader
  SOURCES unit/test_config_reader.c LIBS wslns_config)
target_compile_definitions(test_config_reader PRIVATE
  WSLNS_CONFIG_DATA="${CMAKE_CURRENT_SOURCE_DIR}/unit/data/config")
wslns_unit_test("config: GUI-apps state names its cause and the fix" test_config_gui
  SOURCES unit/test_config_gui.c LIBS wslns_config)

# The fuzzing smoke needs clang with libFuzzer (the project compiler is gcc): probe once. Not
# in the sanitizer tree: the fuzzer brings ASan and UBSan itself, and runs once is enough.
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
  add_test(NAME "config: reader survives 10 s of fuzzing"
           COMMAND bash "${PROJECT_SOURCE_DIR}/scripts/fuzz-config.sh" 10)
  set_tests_properties("config: reader survives 10 s of fuzzing" PROPERTIES
    ENVIRONMENT "WSLNS_FUZZ_DIR=${CMAKE_BINARY_DIR}/fuzz-config" TIMEOUT 180)
endif()
