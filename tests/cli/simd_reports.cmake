# One mechcheck command run under every batch-kernel variant (MECHCHECK_SIMD=avx2, sse2, off;
# solver/batch_kernels.hpp): exit code, stdout, stderr and every file the run writes (report,
# JUnit, witnesses) must be byte-identical across the variants that run here. Each variant runs in
# its own directory WORK_DIR/<variant> with the same relative paths, so recorded paths compare
# equal. A variant this build did not compile must be refused as such (exit 2); avx2 may also be
# refused for a CPU without AVX2; sse2 and off must run when compiled. With fewer than two runs to
# compare the test prints "simd_reports: skipped" (CTest SKIP_REGULAR_EXPRESSION).
#
#   cmake -DMECHCHECK=<mechcheck> -DWORK_DIR=<dir> -DARGS="<arguments>" -DCOMPILED=avx2,sse2,off
#         [-DREFERENCE=<another build's mechcheck>] -P simd_reports.cmake
#
# REFERENCE, when set, is run too (MECHCHECK_SIMD unset) and compared the same way: e.g. a
# -DMECHCHECK_SIMD=ON build's executable for a -DMECHCHECK_SIMD=OFF build's tests.
cmake_minimum_required(VERSION 3.25)
foreach(required MECHCHECK WORK_DIR ARGS COMPILED)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "simd_reports.cmake: -D${required}=... is required")
  endif()
endforeach()
separate_arguments(args UNIX_COMMAND "${ARGS}")
string(REPLACE "," ";" compiled "${COMPILED}")
file(REMOVE_RECURSE "${WORK_DIR}")

# Runs `executable` with MECHCHECK_SIMD=`value` (unset when empty) in WORK_DIR/`name`; sets
# `code` and `err` in the caller.
function(run_variant name executable value)
  set(dir "${WORK_DIR}/${name}")
  file(MAKE_DIRECTORY "${dir}")
  if(value STREQUAL "")
    set(environment --unset=MECHCHECK_SIMD)
  else()
    set(environment MECHCHECK_SIMD=${value})
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${environment} ${executable} ${args}
                  WORKING_DIRECTORY "${dir}" RESULT_VARIABLE result
                  OUTPUT_FILE "${dir}/stdout.txt" ERROR_FILE "${dir}/stderr.txt")
  file(READ "${dir}/stderr.txt" stderr_text)
  file(WRITE "${dir}/exit-code.txt" "${result}\n")
  set(code "${result}" PARENT_SCOPE)
  set(err "${stderr_text}" PARENT_SCOPE)
endfunction()

set(ran "")
foreach(variant avx2 sse2 off)
  run_variant(${variant} "${MECHCHECK}" ${variant})
  set(refusal "^mechcheck: MECHCHECK_SIMD: is \"${variant}\", which ")
  if(NOT variant IN_LIST compiled)
    if(NOT (code STREQUAL "2" AND err MATCHES "${refusal}is not compiled into this build"))
      message(FATAL_ERROR "${variant} is not compiled in (${COMPILED}) but was not refused as "
                          "such: exit ${code}, stderr:\n${err}")
    endif()
    message(STATUS "${variant}: refused, not compiled into this build")
  elseif(variant STREQUAL "avx2" AND code STREQUAL "2"
         AND err MATCHES "${refusal}needs a CPU with AVX2")
    message(STATUS "avx2: refused, this CPU has no AVX2")
  elseif(NOT code MATCHES "^[0-3]$")
    message(FATAL_ERROR "${variant}: mechcheck ${ARGS} ended with ${code}, stderr:\n${err}")
  elseif(code STREQUAL "2" AND err MATCHES "MECHCHECK_SIMD")
    message(FATAL_ERROR "${variant} is compiled in but was refused:\n${err}")
  else()
    list(APPEND ran ${variant})
  endif()
  if(NOT variant IN_LIST ran)
    file(REMOVE_RECURSE "${WORK_DIR}/${variant}")
  endif()
endforeach()
if(NOT "off" IN_LIST ran)
  message(FATAL_ERROR "the scalar variant (off) did not run")
endif()
if(DEFINED REFERENCE AND NOT REFERENCE STREQUAL "")
  run_variant(reference "${REFERENCE}" "")
  list(APPEND ran reference)
endif()

list(LENGTH ran runs)
if(runs LESS 2)
  message(STATUS "simd_reports: skipped: only ${ran} runs in this build and on this CPU "
                 "(compiled: ${COMPILED})")
  return()
endif()

# Every run against the first: the same files, byte for byte.
list(GET ran 0 first)
file(GLOB_RECURSE expected RELATIVE "${WORK_DIR}/${first}" "${WORK_DIR}/${first}/*")
list(SORT expected)
set(differences "")
foreach(other IN LISTS ran)
  if(other STREQUAL first)
    continue()
  endif()
  file(GLOB_RECURSE files RELATIVE "${WORK_DIR}/${other}" "${WORK_DIR}/${other}/*")
  list(SORT files)
  if(NOT files STREQUAL expected)
    string(APPEND differences "${other} wrote [${files}], ${first} wrote [${expected}]\n")
    continue()
  endif()
  foreach(file IN LISTS expected)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${WORK_DIR}/${first}/${file}"
                            "${WORK_DIR}/${other}/${file}" RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
      string(APPEND differences "${other}/${file} differs from ${first}/${file}\n")
    endif()
  endforeach()
endforeach()
if(NOT differences STREQUAL "")
  message(FATAL_ERROR "mechcheck ${ARGS}: the variants disagree (runs kept in ${WORK_DIR}):\n"
                      "${differences}")
endif()
list(LENGTH expected file_count)
list(JOIN ran ", " names)
message(STATUS "simd_reports: ${names} identical (${file_count} files each)")
