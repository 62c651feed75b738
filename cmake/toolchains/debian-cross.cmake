# Cross-building with Debian's cross toolchain (crossbuild-essential-ARCH) against a sysroot of the
# target architecture's libraries that scripts/lib/cross_sysroot.sh unpacks (scripts/cross-test.sh
# makes it). The per-architecture files beside this one set ROUTER_CA_CROSS_TRIPLET,
# ROUTER_CA_CROSS_PROCESSOR and ROUTER_CA_CROSS_QEMU, then include this file.
# The sysroot: -DROUTER_CA_SYSROOT=DIR or the environment variable of the same name.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${ROUTER_CA_CROSS_PROCESSOR})
set(CMAKE_C_COMPILER ${ROUTER_CA_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${ROUTER_CA_CROSS_TRIPLET}-g++)

if(NOT ROUTER_CA_SYSROOT)
  set(ROUTER_CA_SYSROOT "$ENV{ROUTER_CA_SYSROOT}")
endif()
if(NOT IS_DIRECTORY "${ROUTER_CA_SYSROOT}/usr/lib/${ROUTER_CA_CROSS_TRIPLET}")
  message(FATAL_ERROR "ROUTER_CA_SYSROOT='${ROUTER_CA_SYSROOT}' is not a ${ROUTER_CA_CROSS_TRIPLET} sysroot (scripts/cross-test.sh makes one)")
endif()
# try_compile projects read this file again, without the cache: pass the sysroot on to them.
set(ENV{ROUTER_CA_SYSROOT} "${ROUTER_CA_SYSROOT}")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ROUTER_CA_SYSROOT)

# Not CMAKE_SYSROOT: the compiler keeps its own C and C++ runtime (/usr/TRIPLET), and finds the
# libraries' headers after its own (-idirafter), so the sysroot's copy of glibc's headers, if a
# package pulled it in, never shadows the toolchain's.
set(CMAKE_FIND_ROOT_PATH "${ROUTER_CA_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${ROUTER_CA_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${ROUTER_CA_SYSROOT}/usr/lib/${ROUTER_CA_CROSS_TRIPLET}/pkgconfig:${ROUTER_CA_SYSROOT}/usr/share/pkgconfig")

set(_rca_inc "${ROUTER_CA_SYSROOT}/usr/include")
set(CMAKE_C_FLAGS_INIT "-idirafter ${_rca_inc} -idirafter ${_rca_inc}/${ROUTER_CA_CROSS_TRIPLET}")
# -Wno-psabi: GCC notes on armhf that the ABI of passing some structs changed in GCC 7.1, which
# only matters when mixing objects from before GCC 7.
set(CMAKE_CXX_FLAGS_INIT "${CMAKE_C_FLAGS_INIT} -Wno-psabi")
# Libraries' own dependencies (libbotan-2 -> libbz2, ...) are resolved in the sysroot, not the host.
set(_rca_lib "${ROUTER_CA_SYSROOT}/usr/lib/${ROUTER_CA_CROSS_TRIPLET}")
set(_rca_lib2 "${ROUTER_CA_SYSROOT}/lib/${ROUTER_CA_CROSS_TRIPLET}")
foreach(kind EXE SHARED MODULE)
  set(CMAKE_${kind}_LINKER_FLAGS_INIT "-L${_rca_lib} -Wl,-rpath-link,${_rca_lib}:${_rca_lib2}")
endforeach()

# Test binaries (and catch_discover_tests at build time) run under qemu-user with the sysroot as
# the dynamic loader's root.
set(CMAKE_CROSSCOMPILING_EMULATOR ${ROUTER_CA_CROSS_QEMU} -L ${ROUTER_CA_SYSROOT})
