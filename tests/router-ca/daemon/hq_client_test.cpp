#include "daemon/hq_client.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

TEST_CASE("HQ URLs: https anywhere, plain http only on loopback, no path", "[hq_client]") {
    for (const char* good : {"https://hq.vendor.example", "https://hq.vendor.example:8444/",
                             "http://127.0.0.1:8444", "http://localhost:1", "http://[::1]:80"}) {
        INFO(good);
        CHECK_FALSE(hq_url_problem(good).has_value());
    }
    for (const char* bad : {"http://hq.vendor.example", "http://192.168.1.5:80", "ftp://x",
                            "https://", "https://hq.example/v1", "https://user@hq.example",
                            "hq.example", ""}) {
        INFO(bad);
        CHECK(hq_url_problem(bad).has_value());
    }
}

TEST_CASE("HQ's registration answer is checked before its names are used", "[hq_client]") {
    const auto good = parse_home_registration(
        R"({"home":"nifty-babbage","zone":"nifty-babbage.vendor.example","credential":"abc_-9"})");
    REQUIRE(good);
    CHECK(good.value().home.zone == "nifty-babbage.vendor.example");
    CHECK(good.value().credential == "abc_-9");
    for (const char* bad : {
             R"([])", "not json",
             R"({"home":"a.b","zone":"a.b.vendor.example","credential":"x"})",
             R"({"home":"../x","zone":"../x.vendor.example","credential":"x"})",
             R"({"home":"nifty","zone":"other.vendor.example","credential":"x"})",
             R"({"home":"nifty","zone":"nifty.vendor.example","credential":""})",
             R"({"home":"nifty","zone":"nifty.vendor.example","credential":"a b"})",
             R"({"home":"nifty","zone":"nifty.vendor.example"})"}) {
        INFO(bad);
        CHECK_FALSE(parse_home_registration(bad));
    }
}

TEST_CASE("order ids from devices are checked before they go into a URL", "[hq_client]") {
    CHECK(is_hq_order_id("AAAAAAAAAAAAAAAAAAAAAA"));
    CHECK(is_hq_order_id("0123456789abcdef0123456789abcdef"));
    CHECK(is_hq_order_id("q-_4xXy0bq-_4xXy0bq-_4"));
    CHECK_FALSE(is_hq_order_id("short"));
    CHECK_FALSE(is_hq_order_id("AAAAAAAAAAAAAAAAAAAAA/"));
    CHECK_FALSE(is_hq_order_id("../../v1/homes/aaaaaaaaaa"));
    CHECK_FALSE(is_hq_order_id(std::string(65, 'a')));
}

TEST_CASE("an HQ refusal reads as its status and the problem's detail", "[hq_client]") {
    CHECK(hq_refusal({403, R"({"type":"urn:hq:problem:forbidden","detail":"not your home"})",
                      "application/problem+json", ""}) == "HQ answered HTTP 403: not your home");
    CHECK(hq_refusal({502, "<html>", "text/html", ""}) == "HQ answered HTTP 502");
}

}  // namespace
}  // namespace rca
