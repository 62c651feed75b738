#include "core/ipv6.hpp"

#include <arpa/inet.h>

#include <catch2/catch.hpp>
#include <random>
#include <string>

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

// core/ipv6.cpp parses and writes the text forms itself (the core includes no socket header);
// glibc's inet_pton and inet_ntop, which it replaced, are the reference it must agree with.
TEST_CASE("IPv6 prefixes: the text forms agree with inet_pton and inet_ntop", "[ipv6]") {
    const std::string text = GENERATE(
        "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
        "1::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        ":1::", "1:::2", ":::", "::1:", ":1:2:3:4:5:6:7:8", "1::2::3",
        "12345::", "0000:0:00:000::", "fFfF::AbCd", "g::", "::ffff:1.2.3.4", "::1.2.3.4",
        "::0.0.0.1", "1::1.2.3.4", "::ffff:255.255.255.255", "::ffff:256.1.1.1", "::ffff:01.2.3.4",
        "::ffff:1.2.3", "::ffff:1.2.3.4.5", "::1.2.3.4:1", "1.2.3.4::", "::ffff:1..2.3",
        "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::a.1.2.3", "0:0:0:0:0:ffff:0:0",
        "::ffff:0:1.2.3.4", "1:0:0:1:0:0:0:1", "1:0:0:0:1:0:0:1", "1:0:1:0:1:0:1:0",
        "0:0:1:0:0:1:0:0", "fe80::1%eth0", " ::1", "::1 ", "");
    CAPTURE(text);
    std::array<uint8_t, 16> expected{};
    const bool valid = ::inet_pton(AF_INET6, text.c_str(), expected.data()) == 1;
    const auto parsed = Ipv6Subnet::parse(text + "/128");
    REQUIRE(parsed.has_value() == valid);
    if (!valid) return;
    CHECK(parsed->network == expected);
    char canonical[INET6_ADDRSTRLEN];
    REQUIRE(::inet_ntop(AF_INET6, expected.data(), canonical, sizeof canonical) != nullptr);
    CHECK(parsed->to_string() == std::string(canonical) + "/128");
}

TEST_CASE("IPv6 prefixes: canonical text of many addresses agrees with inet_ntop", "[ipv6]") {
    // Mostly zero groups, so every placement and length of a run of zeros is met.
    std::mt19937 random(1234);
    for (int n = 0; n < 20000; ++n) {
        Ipv6Subnet subnet;
        subnet.prefix = 128;
        for (size_t i = 0; i < 16; i += 2) {
            const auto draw = random();
            if (draw % 3 != 0) continue;
            subnet.network[i] = static_cast<uint8_t>(draw >> 8 & (draw & 0x400 ? 0xff : 0));
            subnet.network[i + 1] = static_cast<uint8_t>(draw >> 16);
        }
        if (n % 7 == 0) subnet.network[10] = subnet.network[11] = 0xff;  // IPv4-mapped forms
        char canonical[INET6_ADDRSTRLEN];
        REQUIRE(::inet_ntop(AF_INET6, subnet.network.data(), canonical, sizeof canonical));
        CAPTURE(canonical);
        REQUIRE(subnet.to_string() == std::string(canonical) + "/128");
        const auto back = Ipv6Subnet::parse(subnet.to_string());
        REQUIRE(back);
        REQUIRE(back->network == subnet.network);
    }
}

}  // namespace
}  // namespace rca
