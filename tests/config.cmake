# WSL's config files: the reader against sample files and WSL's exact warnings, and the
# GUI-apps state with each of its causes. Its fuzzing smoke lives in tests/fuzz.cmake.
wslns_unit_test("config: reader reads .wslconfig and wsl.conf as WSL does" test_config_reader
  SOURCES unit/test_config_reader.c LIBS wslns_config)
target_compile_definitions(test_config_reader PRIVATE
  WSLNS_CONFIG_DATA="${CMAKE_CURRENT_SOURCE_DIR}/unit/data/config")
wslns_unit_test("config: GUI-apps state names its cause and the fix" test_config_gui
  SOURCES unit/test_config_gui.c LIBS wslns_config)
