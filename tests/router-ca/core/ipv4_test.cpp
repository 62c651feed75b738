#include "core/ipv4.hpp"
#include "core/home_policy.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

TEST_CASE("IPv4 parsing is strict", "[ipv4]") {
    struct Case {
        const char* text;
        bool ok;
    };
    const auto c =
        GENERATE(Case{"192.168.1.1", true}, Case{"0.0.0.0", true}, Case{"255.255.255.255", true},
                 Case{"256.1.1.1", false}, Case{"1.2.3", false}, Case{"1.2.3.4.5", false},
                 Case{"010.1.1.1", false}, Case{"1.2.3.4 ", false}, Case{"", false},
                 Case{"a.b.c.d", false}, Case{"::1", false}, Case{"1..2.3", false});
    CAPTURE(c.text);
    const auto parsed = Ipv4::parse(c.text);
    CHECK(parsed.has_value() == c.ok);
    if (parsed) CHECK(parsed->to_string() == c.text);
}

TEST_CASE("subnets", "[ipv4]") {
    const auto net = Ipv4Subnet::parse("172.16.0.0/12");
    REQUIRE(net);
    CHECK(net->contains(*Ipv4::parse("172.31.255.255")));
    CHECK_FALSE(net->contains(*Ipv4::parse("172.32.0.0")));
    CHECK(net->to_string() == "172.16.0.0/12");
    CHECK_FALSE(Ipv4Subnet::parse("10.0.0.1/8"));  // host bits set
    CHECK_FALSE(Ipv4Subnet::parse("10.0.0.0/33"));
    CHECK_FALSE(Ipv4Subnet::parse("10.0.0.0"));
    CHECK(Ipv4Subnet::parse("0.0.0.0/0")->contains(*Ipv4::parse("8.8.8.8")));
}

TEST_CASE("subnets within subnets", "[ipv4]") {
    const auto rfc1918 = *Ipv4Subnet::parse("172.16.0.0/12");
    CHECK(Ipv4Subnet::parse("172.16.0.0/12")->within(rfc1918));
    CHECK(Ipv4Subnet::parse("172.20.1.0/24")->within(rfc1918));
    CHECK(Ipv4Subnet::parse("172.31.255.255/32")->within(rfc1918));
    CHECK_FALSE(Ipv4Subnet::parse("172.16.0.0/11")->within(rfc1918));
    CHECK_FALSE(Ipv4Subnet::parse("172.32.0.0/24")->within(rfc1918));
    CHECK_FALSE(Ipv4Subnet::parse("0.0.0.0/0")->within(rfc1918));
}

}  // namespace
}  // namespace rca

TEST_CASE("RFC 1918 addresses: exactly 10/8, 172.16/12 and 192.168/16", "[ipv4]") {
    for (const char* inside : {"10.0.0.0", "10.255.255.255", "172.16.0.1", "172.31.255.255",
                               "192.168.0.0", "192.168.255.255"})
        CHECK(rca::is_rfc1918(*rca::Ipv4::parse(inside)));
    for (const char* outside :
         {"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
          "192.169.0.0", "127.0.0.1", "8.8.8.8", "100.64.0.1", "169.254.1.1"})
        CHECK_FALSE(rca::is_rfc1918(*rca::Ipv4::parse(outside)));
}
