# The HTML report: the renderer's unit test (always), then the page in a real browser -
# Debian's Chromium driven by playwright-core from tests/html (scripts/setup.sh installs it).
# The browser tests are left out, with a note, when Node, Chromium or playwright-core is
# missing.
wslns_unit_test("html: renderer escapes hostile text, embeds the report safely, renders the doctor's sections"
  test_render_html SOURCES html/test_render_html.c LIBS wslns_host_core)
wslns_unit_test("html: the picture has one box per namespace, nested as the tree, linked to its section, hostile names as text"
  test_render_svg SOURCES html/test_render_svg.c LIBS wslns_host_core)
target_compile_definitions(test_render_svg PRIVATE HOST_DATA_DIR="${WSLNS_HOST_DATA}")

set(_html "${CMAKE_CURRENT_SOURCE_DIR}/html")
find_program(WSLNS_NODE NAMES node nodejs)
set(WSLNS_CHROMIUM "/usr/bin/chromium" CACHE FILEPATH "The Chromium the HTML report's browser tests drive")
set(_missing)
if(NOT WSLNS_NODE)
  list(APPEND _missing "node")
endif()
if(NOT EXISTS "${WSLNS_CHROMIUM}")
  list(APPEND _missing "${WSLNS_CHROMIUM}")
endif()
if(NOT EXISTS "${_html}/node_modules/playwright-core/package.json")
  list(APPEND _missing "playwright-core (run scripts/setup.sh, or npm ci in tests/html)")
endif()
if(_missing)
  string(REPLACE ";" ", " _missing "${_missing}")
  message(STATUS "HTML report browser tests skipped: missing ${_missing}")
  return()
endif()

set(_out "${CMAKE_CURRENT_BINARY_DIR}/html-report")
set(_env "WSLNS_BIN=${WSLNS_BIN}" "WSLNS_LAB=${WSLNS_LAB}" "WSLNS_PROBE=${WSLNS_VIEW_PROBE}"
         "WSLNS_CHROMIUM=${WSLNS_CHROMIUM}" "WSLNS_HOST_DATA=${CMAKE_CURRENT_SOURCE_DIR}/unit/data/host")

# One lab run makes the report the browser tests share (the lab is stopped before they start).
add_test(NAME "html: wslns --html writes a report of a namespace lab through the wsl.exe emulator"
         COMMAND bash "${_html}/lab-report.sh" "${_out}")
set_tests_properties("html: wslns --html writes a report of a namespace lab through the wsl.exe emulator"
  PROPERTIES ENVIRONMENT "${_env}" FIXTURES_SETUP html_lab_report TIMEOUT 300)

# The sanitizer tree makes the lab's report under ASan/UBSan (the renderer on a real run) but
# leaves the browser to the main tree: the page is the same bytes.
if(WSLNS_SANITIZE)
  return()
endif()

set(_cases
  "truth|the page holds every namespace and process of the lab's truth and loads nothing from outside"
  "search|searching a pid of a middle level shows only its rows and opens their branches"
  "highlight|clicking a pid highlights that process at every level"
  "expand|collapse all and expand all"
  "nojs|without JavaScript the tree and every process are still shown"
  "picture|without JavaScript the picture has a box per namespace nested as the tree, each click lands on its section"
  "screenshot|the demo screenshot is made")
foreach(_c IN LISTS _cases)
  string(REPLACE "|" ";" _c "${_c}")
  list(GET _c 0 _case)
  list(GET _c 1 _what)
  add_test(NAME "html (Chromium): ${_what}" COMMAND "${WSLNS_NODE}" "${_html}/check.mjs" ${_case} "${_out}")
  set_tests_properties("html (Chromium): ${_what}" PROPERTIES
    ENVIRONMENT "${_env}" FIXTURES_REQUIRED html_lab_report TIMEOUT 300)
endforeach()

# Reports made here from saved probe documents (wslns --from), no lab needed.
set(_name "html (Chromium): markup, quotes, invalid UTF-8 and bidi overrides in names show as text and run nothing")
add_test(NAME "${_name}" COMMAND "${WSLNS_NODE}" "${_html}/check.mjs" hostile "${CMAKE_CURRENT_BINARY_DIR}/html-hostile")
set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_env}" TIMEOUT 300)
set(_name "html (Chromium): without the VM root's view the distros hang below a dashed \"not visible\" box")
add_test(NAME "${_name}" COMMAND "${WSLNS_NODE}" "${_html}/check.mjs" placeholder "${CMAKE_CURRENT_BINARY_DIR}/html-placeholder")
set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_env}" TIMEOUT 300)

find_program(WSLNS_PYTHON NAMES python3)
if(WSLNS_PYTHON)
  set(_name "html (Chromium): the picture of 50 namespaces stays readable: no box overlaps another, every text inside its box")
  add_test(NAME "${_name}" COMMAND "${WSLNS_NODE}" "${_html}/check.mjs" picture50 "${CMAKE_CURRENT_BINARY_DIR}/html-picture50")
  set_tests_properties("${_name}" PROPERTIES ENVIRONMENT "${_env};WSLNS_PYTHON=${WSLNS_PYTHON}" TIMEOUT 300)
else()
  message(STATUS "HTML picture test of 50 namespaces skipped: no python3 for tests/html/synthetic.py")
endif()

if(WSLNS_HAVE_WINDOWS)
  set(_name "html: the Windows build under Wine writes the same page as the POSIX build")
  add_test(NAME "${_name}" COMMAND bash "${_html}/same-page.sh")
  set_tests_properties("${_name}" PROPERTIES
    ENVIRONMENT "${_env};WSLNS_WINE=${WSLNS_WINE};${WSLNS_WINE_ENV}" FIXTURES_REQUIRED wine TIMEOUT 300)
endif()
