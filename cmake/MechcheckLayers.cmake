# Layering enforced by the build (spec → solver → mechanisms → checks → report → cli): each
# library's include root holds only its own folder, as a link
# build/include-roots/<folder>/<folder> → <source>/<folder>, and include roots reach a target only
# through target_link_libraries. So checks/ sees spec/, solver/, generators/ and mechanisms/
# (what it links) and `#include "cli/..."` from checks/ does not compile.
function(mechcheck_layer target folder)
  set(root ${PROJECT_BINARY_DIR}/include-roots/${folder})
  file(MAKE_DIRECTORY ${root})
  if(NOT EXISTS ${root}/${folder})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
  endif()
  # Installed, every folder sits under one root: <prefix>/include/mechcheck/<folder>/...
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${root}>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/mechcheck>)
  if(MECHCHECK_HEADER_CHECK)
    mechcheck_check_headers(${target} ${folder})
  endif()
endfunction()

# One object per header of `folder`, each a file that includes only that header (twice: the
# include guard must hold), compiled with the layer's own include roots and warnings: a header
# that does not compile alone, or reaches past its layer, fails the build.
function(mechcheck_check_headers target folder)
  file(GLOB_RECURSE headers RELATIVE ${PROJECT_SOURCE_DIR} CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/${folder}/*.hpp)
  set(sources)
  foreach(header IN LISTS headers)
    # A header meant to be included several times under a macro says "header-check: skip".
    file(STRINGS ${PROJECT_SOURCE_DIR}/${header} skip LIMIT_COUNT 1 REGEX "header-check: skip")
    if(skip)
      continue()
    endif()
    set(source ${PROJECT_BINARY_DIR}/header-check/${header}.cpp)
    set(content "#include \"${header}\"\n#include \"${header}\"\n")
    if(EXISTS ${source})
      file(READ ${source} existing)
    endif()
    if(NOT existing STREQUAL content)
      file(WRITE ${source} "${content}")
    endif()
    list(APPEND sources ${source})
  endforeach()
  if(NOT sources)
    return()
  endif()
  # The generators' RapidCheck helpers need RapidCheck (found here: imported targets are local to
  # the directory that finds them).
  find_package(rapidcheck CONFIG QUIET)
  add_library(${target}_header_check OBJECT ${sources})
  set_target_properties(${target}_header_check PROPERTIES UNITY_BUILD OFF)
  # Parsing is the point: no optimization. RapidCheck for the generators' property helpers.
  target_compile_options(${target}_header_check PRIVATE -O0)
  target_link_libraries(${target}_header_check PRIVATE ${target} mechcheck_warnings
                                                       $<TARGET_NAME_IF_EXISTS:rapidcheck>)
endfunction()
