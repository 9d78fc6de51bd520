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
endfunction()
