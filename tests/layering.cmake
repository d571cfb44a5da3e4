# test_layering: the libraries (src/, modem/, db/) never include from tools/.
# tools/ holds programs built on the libraries (smsctl, the modemsim command);
# an include the other way round (as src/server once reached into
# tools/modemsim for the simulator, now modem/sim) makes a layer depend on a
# program. Run: cmake -DSMS_SOURCE_DIR=<repo> -P tests/layering.cmake
if(NOT SMS_SOURCE_DIR)
  message(FATAL_ERROR "pass -DSMS_SOURCE_DIR=<the repository>")
endif()
set(offenders "")
foreach(layer src modem db)
  file(GLOB_RECURSE sources LIST_DIRECTORIES false
       "${SMS_SOURCE_DIR}/${layer}/*.cpp" "${SMS_SOURCE_DIR}/${layer}/*.hpp"
       "${SMS_SOURCE_DIR}/${layer}/*.h" "${SMS_SOURCE_DIR}/${layer}/*.cc")
  foreach(f ${sources})
    file(STRINGS "${f}" hits REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]tools/")
    foreach(line ${hits})
      file(RELATIVE_PATH rel "${SMS_SOURCE_DIR}" "${f}")
      string(STRIP "${line}" line)
      string(APPEND offenders "\n  ${rel}: ${line}")
    endforeach()
  endforeach()
endforeach()
if(offenders)
  message(FATAL_ERROR "src/, modem/ and db/ must not include from tools/ "
                      "(move the code into a library layer instead):${offenders}")
endif()
message(STATUS "no #include \"tools/...\" in src/, modem/, db/")
