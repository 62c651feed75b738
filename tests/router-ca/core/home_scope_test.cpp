// The home's scope (architecture brief, "Scope"): never a public suffix as the domain, only
// private, shared or loopback IPv4 subnets and ULA IPv6 prefixes.
#include "core/home_scope.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

TEST_CASE("the built-in public suffix list", "[scope][psl]") {
    const BuiltinPublicSuffixes list;
    struct Case {
        const char* domain;
        bool public_suffix;
    };
    const auto c = GENERATE(Case{"com", true}, Case{"uk", true}, Case{"co.uk", true},
                            Case{"arpa", true}, Case{"xn--p1ai", true},  // .рф
                            Case{"foo.ck", true},                        // *.ck
                            Case{"www.ck", false},                       // !www.ck
                            Case{"home.arpa", false}, Case{"lan", false}, Case{"home", false},
                            Case{"internal", false}, Case{"example.co.uk", false},
                            Case{"bank.example", false}, Case{"a.b.ck", false});
    CAPTURE(c.domain);
    CHECK(list.is_public_suffix(c.domain) == c.public_suffix);
    CHECK_THAT(list.source(), Catch::Contains("built-in"));
}

// A list that says yes to one name, so the message can be checked apart from any real list.
struct OneSuffix final : PublicSuffixes {
    bool is_public_suffix(const std::string& d) const override { return d == "example"; }
    std::string source() const override { return "a test list"; }
};

TEST_CASE("home domain: a public suffix is refused, naming the list", "[scope]") {
    const OneSuffix list;
    CHECK_FALSE(home_domain_problem("home.example", list));
    const auto problem = home_domain_problem("example", list);
    REQUIRE(problem);
    CHECK_THAT(*problem, Catch::Contains("example is a public suffix (per a test list)"));
}

TEST_CASE("LAN subnets: private, shared and loopback only", "[scope]") {
    struct Case {
        const char* subnet;
        bool home;
    };
    const auto c = GENERATE(
        Case{"10.0.0.0/8", true}, Case{"10.1.2.0/24", true}, Case{"172.16.0.0/12", true},
        Case{"172.31.255.0/24", true}, Case{"192.168.0.0/16", true}, Case{"192.168.1.0/24", true},
        Case{"100.64.0.0/10", true}, Case{"100.127.0.0/16", true}, Case{"127.0.0.0/8", true},
        Case{"127.0.0.1/32", true}, Case{"0.0.0.0/0", false}, Case{"8.8.8.0/24", false},
        Case{"10.0.0.0/7", false},  // covers 11/8 too
        Case{"172.32.0.0/16", false}, Case{"100.128.0.0/16", false}, Case{"169.254.0.0/16", false},
        Case{"224.0.0.0/4", false});
    CAPTURE(c.subnet);
    const auto problem = lan_subnet_problem(*Ipv4Subnet::parse(c.subnet));
    CHECK(problem.has_value() != c.home);
    if (problem) CHECK_THAT(*problem, Catch::Contains("100.64.0.0/10"));
}

TEST_CASE("LAN IPv6 prefixes: unique local only", "[scope]") {
    CHECK_FALSE(lan_subnet6_problem(*Ipv6Subnet::parse("fd12:3456:789a::/48")));
    CHECK_FALSE(lan_subnet6_problem(*Ipv6Subnet::parse("fc00::/7")));
    for (const char* outside : {"::/0", "2001:db8::/32", "fe80::/10", "::1/128", "fc00::/6"}) {
        CAPTURE(outside);
        const auto problem = lan_subnet6_problem(*Ipv6Subnet::parse(outside));
        REQUIRE(problem);
        CHECK_THAT(*problem, Catch::Contains("fc00::/7"));
    }
}

}  // namespace
}  // namespace rca
