# mechcheck_add_check(<name> CONFIG <file>
#                     [INSTANCES <n>] [SEED <s>] [THREADS <t>] [EFFORT quick|default|thorough]
#                     [SHARD <k/N>] [WITNESS_DIR <dir>] [JUNIT <file>] [REPORT <file>]
#                     [EXECUTABLE <path-or-target>]
#                     [MECHANISM "<command line>"] [WORKING_DIRECTORY <dir>])
#
# Registers `mechcheck check <file> ...` as a CTest test: it passes when every property holds
# (exit 0) and fails on a confirmed violation (1, witnesses in WITNESS_DIR), bad input (2) and
# an inconclusive result (3) — "unknown" is never a pass. EXECUTABLE defaults to the
# `mechcheck` target of this build, or the imported mechcheck::cli of an installed mechcheck.
# MECHANISM checks a team's own program over the protocol of docs/protocol.md (`--mechanism`,
# e.g. "python3 pricing/service.py"); it runs in WORKING_DIRECTORY, by default the directory of
# the calling CMakeLists.txt, so relative paths in the command are the repository's.
function(mechcheck_add_check name)
  cmake_parse_arguments(ARG "" "CONFIG;INSTANCES;SEED;THREADS;EFFORT;SHARD;WITNESS_DIR;JUNIT;REPORT;EXECUTABLE;MECHANISM;WORKING_DIRECTORY" "" ${ARGN})
  if(NOT ARG_CONFIG)
    message(FATAL_ERROR "mechcheck_add_check(${name}): CONFIG is required")
  endif()
  if(ARG_EXECUTABLE)
    set(executable ${ARG_EXECUTABLE})
  elseif(TARGET mechcheck)
    set(executable $<TARGET_FILE:mechcheck>)
  elseif(TARGET mechcheck::cli)
    set(executable $<TARGET_FILE:mechcheck::cli>)
  else()
    message(FATAL_ERROR "mechcheck_add_check(${name}): no mechcheck executable (pass EXECUTABLE)")
  endif()
  get_filename_component(config ${ARG_CONFIG} ABSOLUTE)
  if(NOT ARG_WITNESS_DIR)
    set(ARG_WITNESS_DIR ${CMAKE_CURRENT_BINARY_DIR}/mechcheck-witnesses/${name})
  endif()
  set(command ${executable} check ${config} --witness-dir ${ARG_WITNESS_DIR})
  foreach(option INSTANCES SEED THREADS EFFORT SHARD JUNIT REPORT)
    if(ARG_${option})
      string(TOLOWER ${option} flag)
      list(APPEND command --${flag} ${ARG_${option}})
    endif()
  endforeach()
  if(ARG_MECHANISM)
    list(APPEND command --mechanism ${ARG_MECHANISM})
  endif()
  if(NOT ARG_WORKING_DIRECTORY)
    set(ARG_WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  add_test(NAME ${name} COMMAND ${command} WORKING_DIRECTORY ${ARG_WORKING_DIRECTORY})
  set_tests_properties(${name} PROPERTIES LABELS mechcheck)
endfunction()
