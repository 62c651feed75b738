#include "core/ipv6.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

TEST_CASE("IPv6 prefixes: parsing, canonical text, containment", "[ipv6]") {
    struct Case {
        const char* text;
        const char* canonical;  ///< nullptr: refused
    };
    const auto c = GENERATE(
        Case{"fd12:3456:789a::/48", "fd12:3456:789a::/48"},
        Case{"FD12:3456:789A:0:0:0:0:0/48", "fd12:3456:789a::/48"}, Case{"::/0", "::/0"},
        Case{"fc00::/7", "fc00::/7"}, Case{"fd00::1/128", "fd00::1/128"},
        Case{"fd12:3456:789a::1/48", nullptr},  // host bits set
        Case{"fd00::/129", nullptr}, Case{"fd00::", nullptr}, Case{"fd00::/", nullptr},
        Case{"fd00::/4a", nullptr}, Case{"fe80::1%eth0/64", nullptr}, Case{"10.0.0.0/8", nullptr});
    CAPTURE(c.text);
    const auto parsed = Ipv6Subnet::parse(c.text);
    REQUIRE(parsed.has_value() == (c.canonical != nullptr));
    if (parsed) CHECK(parsed->to_string() == c.canonical);
}

TEST_CASE("IPv6 prefixes: within", "[ipv6]") {
    const auto ula = *Ipv6Subnet::parse("fc00::/7");
    CHECK(Ipv6Subnet::parse("fd12:3456:789a::/48")->within(ula));
    CHECK(Ipv6Subnet::parse("fc00::/7")->within(ula));
    CHECK_FALSE(Ipv6Subnet::parse("fc00::/6")->within(ula));  // wider than the range
    CHECK_FALSE(Ipv6Subnet::parse("fe80::/10")->within(ula));
    CHECK_FALSE(Ipv6Subnet::parse("2001:db8::/32")->within(ula));
    CHECK(Ipv6Subnet::parse("2001:db8::/32")->within(all_ipv6()));
    const auto mask = Ipv6Subnet::parse("fd00::/12")->mask();
    CHECK(mask[0] == 0xff);
    CHECK(mask[1] == 0xf0);
    CHECK(mask[2] == 0);
}

}  // namespace
}  // namespace rca
