#include "daemon/serve_config.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

TEST_CASE("serve options: defaults", "[config]") {
    const auto c = parse_serve_options({});
    REQUIRE(c);
    CHECK(c.value().policy.domain == "home.arpa");
    CHECK(c.value().policy.lan_subnets.size() == 3);
    CHECK(c.value().listen_port == 8443);
    CHECK(c.value().dns_enabled);
    CHECK(c.value().dns_port == 5335);
    CHECK(c.value().policy.crl_url == "https://router.home.arpa:8443/crl");
    CHECK(c.value().pairing.guard == std::chrono::seconds(2));
}

TEST_CASE("serve options: values, repeats and both spellings", "[config]") {
    const auto c = parse_serve_options(
        {"--listen", "192.168.1.1:443", "--domain=lan.example", "--lan-subnet", "192.168.1.0/24",
         "--lan-subnet=10.9.0.0/16", "--no-local-names", "--leaf-days", "397", "--pair-guard", "0",
         "--dns-listen", "none", "--mdns", "off", "--router-address", "192.168.1.1"});
    REQUIRE(c);
    const auto& v = c.value();
    CHECK(v.listen_host == "192.168.1.1");
    CHECK(v.listen_port == 443);
    CHECK(v.policy.domain == "lan.example");
    REQUIRE(v.policy.lan_subnets.size() == 2);  // the first --lan-subnet replaces the defaults
    CHECK(v.policy.lan_subnets[1].to_string() == "10.9.0.0/16");
    CHECK_FALSE(v.policy.local_names);
    CHECK(v.policy.leaf_days == 397);
    CHECK(v.pairing.guard == std::chrono::seconds(0));
    CHECK_FALSE(v.dns_enabled);
    CHECK_FALSE(v.mdns_enabled);
    CHECK(v.router_address == Ipv4::parse("192.168.1.1"));
    CHECK(v.policy.crl_url == "https://router.lan.example:443/crl");
}

TEST_CASE("serve options: errors name the option and the problem", "[config]") {
    struct Case {
        std::vector<std::string> args;
        const char* words;
    };
    const auto c = GENERATE(Case{{"--leaf-days", "398"}, "--leaf-days 398: must be a whole number"},
                            Case{{"--leaf-days", "0"}, "from 1 to 397"},
                            Case{{"--listen", "localhost:8443"}, "expected IPv4:PORT"},
                            Case{{"--lan-subnet", "10.0.0.1/8"}, "without host bits"},
                            Case{{"--domain", "Home.Arpa"}, "not a lowercase DNS domain"},
                            Case{{"--domain"}, "needs a value"},
                            Case{{"--frobnicate"}, "unknown option --frobnicate"},
                            Case{{"--crl-url", "ftp://x"}, "http:// or https://"},
                            Case{{"--router-address", "8.8.8.8"}, "outside the LAN subnets"},
                            Case{{"--mdns", "maybe"}, "on or off"});
    const auto result = parse_serve_options(c.args);
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error().detail, Catch::Contains(c.words));
}

// Scope (architecture brief): a root for a public suffix or for public addresses would vouch
// for other people's names, so these stop the start with exit 2 like any other bad option.
TEST_CASE("serve options: the home's scope", "[config][scope]") {
    struct Case {
        std::vector<std::string> args;
        const char* words;  ///< nullptr: accepted
    };
    const auto c = GENERATE(
        Case{{"--domain", "com"}, "--domain com: com is a public suffix"},
        Case{{"--domain", "co.uk"}, "--domain co.uk: co.uk is a public suffix"},
        Case{{"--domain", "arpa"}, "arpa is a public suffix"},
        Case{{"--domain", "lan"}, nullptr},  // OpenWrt's own default; PSL's "*" rule is not used
        Case{{"--domain", "home.example.co.uk"}, nullptr},
        Case{{"--lan-subnet", "0.0.0.0/0"}, "--lan-subnet 0.0.0.0/0: 0.0.0.0/0 is not a home"},
        Case{{"--lan-subnet", "8.8.8.0/24"}, "inside the private (RFC 1918), shared (RFC 6598)"},
        Case{{"--lan-subnet", "192.168.0.0/15"}, "is not a home network"},  // reaches 192.169/16
        Case{{"--lan-subnet", "169.254.0.0/16"}, "is not a home network"},
        Case{{"--lan-subnet", "100.64.0.0/10"}, nullptr},
        Case{{"--lan-subnet", "127.0.0.0/8"}, nullptr},
        Case{{"--lan-subnet", "172.20.1.0/24"}, nullptr},
        Case{{"--lan-subnet6", "2001:db8::/32"}, "not a unique local prefix"},
        Case{{"--lan-subnet6", "::/0"}, "not a unique local prefix"},
        Case{{"--lan-subnet6", "fd12:3456:789a::1/48"}, "without host bits"},
        Case{{"--lan-subnet6", "fd12:3456:789a::/48"}, nullptr});
    CAPTURE(c.args);
    const auto result = parse_serve_options(c.args);
    if (!c.words) {
        CHECK(result);
        return;
    }
    REQUIRE_FALSE(result);
    CHECK_THAT(result.error().detail, Catch::Contains(c.words));
}

TEST_CASE("serve options: --lan-subnet6 becomes the policy's ULA prefixes", "[config][scope]") {
    const auto none = parse_serve_options({});
    REQUIRE(none);
    CHECK(none.value().policy.lan_subnets6.empty());
    const auto two =
        parse_serve_options({"--lan-subnet6", "fd12:3456:789a::/48", "--lan-subnet6=fdff:1::/64"});
    REQUIRE(two);
    REQUIRE(two.value().policy.lan_subnets6.size() == 2);
    CHECK(two.value().policy.lan_subnets6[0].to_string() == "fd12:3456:789a::/48");
    CHECK(two.value().policy.lan_subnets6[1].to_string() == "fdff:1::/64");
}

TEST_CASE("serve options: the HQ link", "[config]") {
    const auto off = parse_serve_options({});
    REQUIRE(off);
    CHECK(off.value().hq_url.empty());
    const auto on = parse_serve_options(
        {"--hq-url", "https://hq.vendor.example:8444", "--hq-ca-file", "/etc/hq-roots.pem"});
    REQUIRE(on);
    CHECK(on.value().hq_url == "https://hq.vendor.example:8444");
    CHECK(on.value().hq_ca_file == "/etc/hq-roots.pem");
    const auto cleartext = parse_serve_options({"--hq-url", "http://hq.vendor.example"});
    REQUIRE_FALSE(cleartext);
    CHECK(cleartext.error().detail.find("--hq-url") == 0);
    CHECK_FALSE(parse_serve_options({"--hq-ca-file", "/etc/hq-roots.pem"}));
}

}  // namespace
}  // namespace rca
