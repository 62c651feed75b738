#include "core/public_home.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

TEST_CASE("a device's public alias is its label under the home's public zone", "[public_home]") {
    const PublicHome home{"nifty-babbage", "nifty-babbage.vendor-cert.example"};
    CHECK(public_name(home, "printer") == "printer.nifty-babbage.vendor-cert.example");
    CHECK(public_name(home, "router") == "router.nifty-babbage.vendor-cert.example");
}

TEST_CASE("the public home holder starts empty and keeps what was set last", "[public_home]") {
    PublicHomeHolder holder;
    CHECK_FALSE(holder.get().has_value());
    holder.set(PublicHome{"a", "a.example"});
    REQUIRE(holder.get().has_value());
    CHECK(holder.get()->zone == "a.example");
    holder.set(std::nullopt);
    CHECK_FALSE(holder.get().has_value());
}

}  // namespace
}  // namespace rca
