# Debian mipsel: 32-bit little-endian MIPS (ramips MT7621 and kin); 32-bit time_t.
set(ROUTER_CA_CROSS_TRIPLET mipsel-linux-gnu)
set(ROUTER_CA_CROSS_PROCESSOR mipsel)
set(ROUTER_CA_CROSS_QEMU qemu-mipsel-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
