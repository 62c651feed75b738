#include <catch2/catch.hpp>

#include "core/zone_name.hpp"

using namespace rca;

TEST_CASE("canonical_name lowers ASCII and drops one final dot") {
    CHECK(canonical_name("CaMeRa.HoMe.ArPa.") == "camera.home.arpa");
    CHECK(canonical_name("home.arpa") == "home.arpa");
    CHECK(canonical_name("") == "");
    CHECK(canonical_name("a\\.") == "a\\.");  // an escaped dot is part of the label
}

TEST_CASE("name_in_zone respects label boundaries and escaped dots") {
    CHECK(name_in_zone("home.arpa", "home.arpa"));
    CHECK(name_in_zone("camera.home.arpa", "home.arpa"));
    CHECK(name_in_zone("a.b.home.arpa", "home.arpa"));
    CHECK_FALSE(name_in_zone("xhome.arpa", "home.arpa"));
    CHECK_FALSE(name_in_zone("arpa", "home.arpa"));
    CHECK_FALSE(name_in_zone("example.com", "home.arpa"));
    // One label "camera.home" followed by "arpa": not under home.arpa.
    CHECK_FALSE(name_in_zone("camera\\.home.arpa", "home.arpa"));
    // A label ending in a backslash ("a\\") then "home.arpa": under home.arpa.
    CHECK(name_in_zone("a\\\\.home.arpa", "home.arpa"));
}

TEST_CASE("parent_name strips one label") {
    CHECK(parent_name("a.b.c") == "b.c");
    CHECK(parent_name("c").empty());
    CHECK(parent_name("a\\.b.c") == "c");
}

TEST_CASE("is_zone_name accepts LDH and underscore labels only") {
    CHECK(is_zone_name("home.arpa"));
    CHECK(is_zone_name("_acme-challenge.camera.home.arpa"));
    CHECK_FALSE(is_zone_name(""));
    CHECK_FALSE(is_zone_name("a..b"));
    CHECK_FALSE(is_zone_name("a b.arpa"));
    CHECK_FALSE(is_zone_name(std::string(64, 'a') + ".arpa"));
    CHECK(is_zone_name(std::string(63, 'a') + ".arpa"));
}

TEST_CASE("reverse_name writes the octets backwards under in-addr.arpa") {
    CHECK(reverse_name(*Ipv4::parse("192.168.1.20")) == "20.1.168.192.in-addr.arpa");
    CHECK(reverse_name(*Ipv4::parse("10.0.0.1")) == "1.0.0.10.in-addr.arpa");
}
