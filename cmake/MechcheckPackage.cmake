# The Debian packages (`cpack -G DEB`, scripts/package.sh), made from this build's install rules:
#   mechcheck      /usr/bin/mechcheck, its man page, the Python module and mechcheck_protocol.py
#                  in /usr/lib/python3/dist-packages, README, docs/ and examples/ under
#                  /usr/share/doc/mechcheck/
#   mechcheck-dev  the static libraries, headers and CMake package (cmake/MechcheckInstall.cmake):
#                  find_package(mechcheck CONFIG) against /usr
# The version is PROJECT_VERSION, the one `mechcheck --version` prints and every report names.

# The man page, generated from the executable's own help (every command's options) so that it
# cannot drift from it. help2man is a Debian package (scripts/setup.sh); without it the build
# and the packages go on without a man page.
find_program(MECHCHECK_HELP2MAN help2man)
find_program(MECHCHECK_GZIP gzip)
if(MECHCHECK_HELP2MAN AND MECHCHECK_GZIP)
  set(mechcheck_man ${PROJECT_BINARY_DIR}/man/mechcheck.1)
  # gzip -n: no file name or time in the archive (Debian's way for man pages).
  add_custom_command(
    OUTPUT ${mechcheck_man}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    COMMAND ${MECHCHECK_HELP2MAN} --no-info
            --no-discard-stderr --help-option=--help-all --version-option=--version
            "--name=verify incentive properties (DSIC, IR, payments) of mechanisms"
            --include=${PROJECT_SOURCE_DIR}/cmake/mechcheck.h2m --output=${mechcheck_man}
            $<TARGET_FILE:mechcheck>
    COMMAND ${MECHCHECK_GZIP} -9nf ${mechcheck_man}
    DEPENDS mechcheck ${PROJECT_SOURCE_DIR}/cmake/mechcheck.h2m
    COMMENT "Generating the man page mechcheck.1 with help2man"
    VERBATIM)
  add_custom_target(mechcheck_man ALL DEPENDS ${mechcheck_man}.gz)
  install(FILES ${mechcheck_man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
else()
  message(STATUS "mechcheck man page: skipped (help2man or gzip not found; install help2man)")
endif()

# Where Debian's python3 finds modules that a package installs (/usr/lib/python3/dist-packages,
# for every Python 3 version: the module's file name carries its ABI).
set(MECHCHECK_INSTALL_PYTHONDIR lib/python3/dist-packages
    CACHE STRING "Install directory of the Python module, relative to the prefix")
set(mechcheck_python_depends "")
if(TARGET mechcheck_python)
  install(TARGETS mechcheck_python LIBRARY DESTINATION ${MECHCHECK_INSTALL_PYTHONDIR}
          COMPONENT runtime)
  install(FILES ${PROJECT_SOURCE_DIR}/python/mechcheck_protocol.py
          DESTINATION ${MECHCHECK_INSTALL_PYTHONDIR} COMPONENT runtime)
  # dpkg-shlibdeps cannot see the interpreter: the module is loaded by python3 and does not link
  # libpython. It is built for one CPython ABI (mechcheck.cpython-3XY-….so), so the package needs
  # exactly that python3, as dh_python3 writes it for an extension built for one version.
  if(NOT DEFINED Python_EXECUTABLE AND MECHCHECK_PYTHON)
    set(Python_EXECUTABLE ${MECHCHECK_PYTHON})
  endif()
  find_package(Python 3.8 QUIET COMPONENTS Interpreter)
  if(Python_FOUND)
    math(EXPR mechcheck_python_next "${Python_VERSION_MINOR} + 1")
    set(mechcheck_python_depends
        "python3 (>= ${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}~), python3 (<< ${Python_VERSION_MAJOR}.${mechcheck_python_next})")
  endif()
endif()

# Documentation: the README, docs/ (its links are relative, so the layout is kept) and the
# examples a user runs or copies (examples/CMakeLists.txt and bundled_examples.* build the
# library's copies of them and stay out).
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        COMPONENT runtime)
file(GLOB mechcheck_example_folders LIST_DIRECTORIES true ${PROJECT_SOURCE_DIR}/examples/*)
foreach(folder IN LISTS mechcheck_example_folders)
  if(IS_DIRECTORY ${folder})
    install(DIRECTORY ${folder} DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT runtime
            USE_SOURCE_PERMISSIONS)
  endif()
endforeach()

set(CPACK_PACKAGE_NAME mechcheck)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "mechcheck developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "verify incentive properties (DSIC, IR, non-negative payments) of mechanisms")
set(CPACK_PACKAGE_DESCRIPTION
    "mechcheck checks mechanisms that fine-tune one LLM for several groups' reward models (the RLHF Game), auctions and ranking aggregation: the paper-claims suite (mechcheck verify), counterexample search with exact confirmation and replayable witnesses (check, replay), cycle monotonicity, Z3 proofs and sharded runs with merge. Mechanisms can be built in, external programs speaking a JSON-lines protocol, or Python callables (import mechcheck).")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # the executable and the Python module; static libraries keep theirs
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # mechcheck_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # dependencies from the binaries (dpkg-shlibdeps)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_THREADS 0)  # xz on every core

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME mechcheck)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION science)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "${mechcheck_python_depends}")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/cmake/debian/postinst ${PROJECT_SOURCE_DIR}/cmake/debian/prerm)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME mechcheck-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The -dev package holds static libraries and headers, which dpkg-shlibdeps does not look into:
# what mechcheckConfig.cmake's find_dependency() calls and its pkg-config modules need is listed
# here, one Debian -dev package each (the same as scripts/setup.sh installs to build). The CMake
# package imports /usr/bin/mechcheck as mechcheck::cli: the same version of `mechcheck`.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libeigen3-dev, libboost-dev, librandom123-dev, nlohmann-json3-dev, libfmt-dev, libtbb-dev, libssl-dev, libgmp-dev, libmpfr-dev, libz3-dev, pkg-config")
set(CPACK_COMPONENT_DEV_DEPENDS runtime)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

include(CPack)
cpack_add_component(runtime DISPLAY_NAME mechcheck DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
cpack_add_component(dev DISPLAY_NAME mechcheck-dev DEPENDS runtime DESCRIPTION
  "Static libraries, headers and CMake package of mechcheck: find_package(mechcheck CONFIG) gives mechcheck::core (the checks as a C++20 library), mechcheck::cli and mechcheck_add_check() (a check as a CTest test).")
