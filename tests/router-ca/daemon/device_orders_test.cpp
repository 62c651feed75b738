#include "daemon/device_orders.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

TEST_CASE("a device holds one order slot at a time", "[device_orders]") {
    DeviceOrders orders;
    CHECK_FALSE(orders.claim("cam"));      // granted
    CHECK(orders.claim("cam") == "");      // its submission is under way
    CHECK_FALSE(orders.claim("nas"));      // another device is not held back
    orders.remember("cam", "order-1");
    CHECK(orders.claim("cam") == "order-1");
    orders.finished("cam", "order-0");     // another order's end frees nothing
    CHECK(orders.claim("cam") == "order-1");
    orders.finished("cam", "order-1");
    CHECK_FALSE(orders.claim("cam"));
    orders.forget("cam");                  // a failed submission frees the slot
    CHECK_FALSE(orders.claim("cam"));
}

}  // namespace
}  // namespace rca
