# Included through CMAKE_PROJECT_INCLUDE by scripts/cross-test.sh, which builds in unity mode
# (CMAKE_UNITY_BUILD): one translation unit per batch of a target's files parses Botan's,
# cpp-httplib's and nlohmann's headers once instead of once per file, which is most of a cross
# build's time on a small machine. Targets whose files define helpers of the same name in
# anonymous namespaces cannot be merged and are built file by file: the libraries listed here,
# and every target under tests/ (test files each have their own fixtures).
set(ROUTER_CA_NO_UNITY rca_jose rca_dns rca_admin rca_daemon denrol)
function(_router_ca_targets_under dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    _router_ca_targets_under(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()
# Those test targets share one precompiled header of the big headers instead (GCC's PCH; no name
# clashes possible), which gives back most of what unity mode saves.
set(_router_ca_no_botan_tests net_tests wire_tests files_tests)
function(_router_ca_unity_exceptions)
  _router_ca_targets_under(${CMAKE_SOURCE_DIR}/tests test_targets)
  foreach(target IN LISTS ROUTER_CA_NO_UNITY test_targets)
    if(TARGET ${target})
      set_target_properties(${target} PROPERTIES UNITY_BUILD OFF)
    endif()
  endforeach()
  foreach(target IN LISTS test_targets)
    get_target_property(type ${target} TYPE)
    get_target_property(links ${target} LINK_LIBRARIES)
    # These tests link no Botan, so the header's Botan part would not be found.
    if(type STREQUAL "EXECUTABLE" AND "Catch2::Catch2WithMain" IN_LIST links
       AND NOT target IN_LIST _router_ca_no_botan_tests)
      target_precompile_headers(${target} PRIVATE <catch2/catch.hpp> <nlohmann/json.hpp>
                                <botan/x509cert.h> <botan/x509_ca.h> <botan/auto_rng.h>)
    endif()
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _router_ca_unity_exceptions)
