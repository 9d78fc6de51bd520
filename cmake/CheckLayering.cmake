# CTest: the layering rules the include roots cannot express alone. checks/ returns typed results
# (no JSON: nlohmann reaches it transitively through spec/, which parses files), and no folder
# includes a layer above it. Run as `cmake -DSOURCE_DIR=... -P CheckLayering.cmake`.
set(rules
  "checks:nlohmann/|report/|claims/|cli/"
  "mechanisms:checks/|report/|claims/|cli/"
  "solver:mechanisms/|checks/|report/|claims/|cli/"
  "spec:solver/|mechanisms/|checks/|report/|claims/|cli/"
  "report:claims/|cli/"
  "claims:cli/")
set(failures "")
foreach(rule IN LISTS rules)
  string(REPLACE ":" ";" parts "${rule}")
  list(GET parts 0 folder)
  list(GET parts 1 forbidden)
  file(GLOB_RECURSE sources "${SOURCE_DIR}/${folder}/*.cpp" "${SOURCE_DIR}/${folder}/*.hpp")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" includes REGEX "#include [<\"](${forbidden})")
    foreach(line IN LISTS includes)
      file(RELATIVE_PATH relative "${SOURCE_DIR}" "${source}")
      string(APPEND failures "${relative}: ${line}\n")
    endforeach()
  endforeach()
endforeach()
if(failures)
  message(FATAL_ERROR "layering violated (spec → solver → mechanisms → checks → report → claims → cli):\n${failures}")
endif()
