# Install rules (MECHCHECK_INSTALL, on when mechcheck is the top-level project): the static
# libraries, their public headers, the `mechcheck` executable and a CMake package, so that
#   find_package(mechcheck CONFIG REQUIRED)
# gives mechcheck::core (the whole library; mechcheck::spec … mechcheck::report one by one),
# mechcheck::cli (the executable) and mechcheck_add_check().
#
# Headers keep their folders under <prefix>/include/mechcheck/ (`#include "solver/mechanism.hpp"`
# as in the source tree). RapidCheck is test-only: generators/rc_generators.hpp and
# generators/instance_gen.hpp are not installed and no exported target links it.
#
# Two install components, one Debian package each (cmake/MechcheckPackage.cmake): `runtime` (the
# executable; the Python module, man page and documentation are added there) and `dev` (static
# libraries, headers, CMake package). `cmake --install` without --component installs both.
include(CMakePackageConfigHelpers)

set(mechcheck_install_libraries
  mechcheck_spec mechcheck_solver mechcheck_generators mechcheck_mechanisms mechcheck_checks
  mechcheck_examples mechcheck_claims mechcheck_report)
set(mechcheck_header_folders spec solver generators mechanisms checks examples claims report)
set(mechcheck_test_only_headers generators/rc_generators.hpp generators/instance_gen.hpp)

# Exported as mechcheck::<folder>, the names the build's aliases already use.
foreach(library IN LISTS mechcheck_install_libraries)
  string(REGEX REPLACE "^mechcheck_" "" name ${library})
  set_target_properties(${library} PROPERTIES EXPORT_NAME ${name})
endforeach()
set_target_properties(mechcheck_core PROPERTIES EXPORT_NAME core)
set_target_properties(mechcheck PROPERTIES EXPORT_NAME cli)

foreach(folder IN LISTS mechcheck_header_folders)
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
       ${PROJECT_SOURCE_DIR}/${folder}/*.hpp)
  list(REMOVE_ITEM headers ${mechcheck_test_only_headers})
  foreach(header IN LISTS headers)
    get_filename_component(directory ${header} DIRECTORY)
    install(FILES ${PROJECT_SOURCE_DIR}/${header}
            DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mechcheck/${directory} COMPONENT dev)
  endforeach()
endforeach()

install(TARGETS ${mechcheck_install_libraries} mechcheck_core mechcheck
        EXPORT mechcheckTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

set(mechcheck_package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/mechcheck)
install(EXPORT mechcheckTargets NAMESPACE mechcheck:: DESTINATION ${mechcheck_package_dir}
        COMPONENT dev)
configure_package_config_file(cmake/mechcheckConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/mechcheckConfig.cmake
                              INSTALL_DESTINATION ${mechcheck_package_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/mechcheckConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/mechcheckConfig.cmake
              ${PROJECT_BINARY_DIR}/package/mechcheckConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/MechcheckCheck.cmake
        DESTINATION ${mechcheck_package_dir} COMPONENT dev)
