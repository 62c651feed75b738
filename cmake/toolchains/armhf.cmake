# Debian armhf: 32-bit ARMv7 hard-float (Cortex-A7/A9: ipq40xx, mvebu); 32-bit time_t, see docs/openwrt.md.
set(ROUTER_CA_CROSS_TRIPLET arm-linux-gnueabihf)
set(ROUTER_CA_CROSS_PROCESSOR arm)
set(ROUTER_CA_CROSS_QEMU qemu-arm-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
