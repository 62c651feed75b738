# Debian arm64: aarch64 (mediatek filogic).
set(ROUTER_CA_CROSS_TRIPLET aarch64-linux-gnu)
set(ROUTER_CA_CROSS_PROCESSOR aarch64)
set(ROUTER_CA_CROSS_QEMU qemu-aarch64-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
