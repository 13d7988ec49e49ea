# Provides the target `wslns_cjson`, whose users `#include <cJSON.h>`.
#
# Native builds use Debian's libcjson-dev (find_package). Cross builds (MinGW, static
# musl) compile cJSON from source: WSLNS_CJSON_SOURCE_DIR, or the copy that
# scripts/setup.sh unpacks from Debian's source package into .deps/cjson-*.
set(WSLNS_CJSON_SOURCE_DIR "" CACHE PATH
    "Directory holding cJSON.c and cJSON.h to compile in (e.g. for MSYS2 builds)")
option(WSLNS_CJSON_FROM_SOURCE "Compile cJSON from source even for native builds" OFF)

if(NOT WSLNS_CJSON_SOURCE_DIR)
  file(GLOB _wslns_cjson_dirs "${PROJECT_SOURCE_DIR}/.deps/cjson-*")
  foreach(_d IN LISTS _wslns_cjson_dirs)
    if(EXISTS "${_d}/cJSON.c")
      set(_wslns_cjson_found "${_d}")
    endif()
  endforeach()
endif()

if(CMAKE_CROSSCOMPILING OR WSLNS_CJSON_FROM_SOURCE OR WSLNS_CJSON_SOURCE_DIR)
  if(NOT WSLNS_CJSON_SOURCE_DIR)
    set(WSLNS_CJSON_SOURCE_DIR "${_wslns_cjson_found}")
  endif()
  if(NOT EXISTS "${WSLNS_CJSON_SOURCE_DIR}/cJSON.c")
    message(FATAL_ERROR "cJSON source not found. Run scripts/setup.sh (it unpacks Debian's "
                        "cjson source into .deps/) or pass -DWSLNS_CJSON_SOURCE_DIR=<dir with cJSON.c>.")
  endif()
  add_library(wslns_cjson STATIC "${WSLNS_CJSON_SOURCE_DIR}/cJSON.c")
  target_include_directories(wslns_cjson SYSTEM PUBLIC "${WSLNS_CJSON_SOURCE_DIR}")
  # Third-party code: keep our strict warnings off it.
  target_compile_options(wslns_cjson PRIVATE -w)
else()
  find_package(cJSON REQUIRED CONFIG)
  add_library(wslns_cjson INTERFACE)
  target_link_libraries(wslns_cjson INTERFACE cjson)
  foreach(_inc IN LISTS CJSON_INCLUDE_DIRS)
    target_include_directories(wslns_cjson SYSTEM INTERFACE "${_inc}" "${_inc}/cjson")
  endforeach()
endif()
