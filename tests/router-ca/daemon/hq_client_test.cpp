#include "daemon/hq_client.hpp"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

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
    // Control characters would forge or garble log lines.
    CHECK(hq_refusal({400, R"({"detail":"bad\n2026-01-01T00:00:00Z router-ca: forged\u001b[2J"})",
                      "application/problem+json", ""}) ==
          "HQ answered HTTP 400: bad 2026-01-01T00:00:00Z router-ca: forged [2J");
}

// An HQ that streams a 64 MiB answer in 64 KiB chunks (chunked transfer coding) and records the
// Accept-Encoding it was sent. Under a second here.
TEST_CASE("an oversized answer from HQ is dropped as it arrives, never inflated",
          "[hq_client]") {
    httplib::Server server;
    std::atomic<size_t> sent{0};
    std::string accept_encoding = "(none)";
    server.Get("/v1/certificates/AAAAAAAAAAAAAAAAAAAAAA",
               [&](const httplib::Request& req, httplib::Response& res) {
                   accept_encoding = req.get_header_value("Accept-Encoding");
                   res.set_chunked_content_provider(
                       "application/json", [&sent](size_t, httplib::DataSink& sink) {
                           if (sent >= (size_t{64} << 20)) {
                               sink.done();
                               return true;
                           }
                           const std::string chunk(64 * 1024, ' ');
                           if (!sink.write(chunk.data(), chunk.size())) return false;
                           sent += chunk.size();
                           return true;
                       });
               });
    const int port = server.bind_to_any_port("127.0.0.1");
    std::thread thread([&server] { server.listen_after_bind(); });
    // stop() before the thread runs would do nothing, and join() wait forever.
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const HqClient client("http://127.0.0.1:" + std::to_string(port), "");
    const auto answer = client.certificate("AAAAAAAAAAAAAAAAAAAAAA");
    server.stop();
    thread.join();
    REQUIRE_FALSE(answer);
    CHECK(answer.error().find("more than the 262144 bytes accepted") != std::string::npos);
    // The router stopped reading soon after 256 KiB (socket buffers hold a few MiB more).
    CHECK(sent < (size_t{16} << 20));
    CHECK(accept_encoding == "identity");
}

}  // namespace
}  // namespace rca
