# Debian s390x: 64-bit big-endian, the stand-in for big-endian MIPS (ath79), which Debian 12 lacks.
set(ROUTER_CA_CROSS_TRIPLET s390x-linux-gnu)
set(ROUTER_CA_CROSS_PROCESSOR s390x)
set(ROUTER_CA_CROSS_QEMU qemu-s390x-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
