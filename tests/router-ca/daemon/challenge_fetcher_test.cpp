#include "daemon/challenge_fetcher.hpp"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <thread>

namespace rca {
namespace {

// A device's http-01 responder on loopback, answering as each test sets it up.
struct Device {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::string host_seen;

    Device() {
        port = server.bind_to_any_port("127.0.0.1");
        REQUIRE(port > 0);
    }
    void start() {
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::yield();
    }
    ~Device() {
        server.stop();
        if (thread.joinable()) thread.join();
    }
    acme::Http01Probe probe() const {
        return {"nas.home.arpa", *Ipv4::parse("127.0.0.1"), static_cast<uint16_t>(port), "tok",
                "tok.thumb"};
    }
};

const char* kPath = "/.well-known/acme-challenge/tok";

TEST_CASE("the right answer validates, with the name as Host", "[http01]") {
    Device d;
    d.server.Get(kPath, [&](const httplib::Request& req, httplib::Response& res) {
        d.host_seen = req.get_header_value("Host");
        res.set_content("tok.thumb\r\n", "text/plain");  // trailing whitespace is ignored
    });
    d.start();
    const auto outcome = ChallengeFetcher().check_http01(d.probe());
    CHECK(outcome.ok());
    CHECK(d.host_seen == "nas.home.arpa:" + std::to_string(d.port));
}

TEST_CASE("a wrong answer, an error status and an oversized body are incorrect", "[http01]") {
    Device d;
    d.server.Get(kPath, [](const httplib::Request&, httplib::Response& res) {
        res.set_content("tok.other", "text/plain");
    });
    d.server.Get("/.well-known/acme-challenge/missing",
                 [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
    d.server.Get("/.well-known/acme-challenge/huge",
                 [](const httplib::Request&, httplib::Response& res) {
                     res.set_content(std::string(1024 * 1024, 'a'), "text/plain");
                 });
    d.start();
    auto probe = d.probe();
    CHECK(ChallengeFetcher().check_http01(probe).error.type == "incorrectResponse");
    probe.token = "missing";
    const auto missing = ChallengeFetcher().check_http01(probe);
    CHECK(missing.error.type == "incorrectResponse");
    CHECK_THAT(missing.error.detail, Catch::Contains("HTTP 404"));
    probe.token = "huge";
    const auto huge = ChallengeFetcher().check_http01(probe);
    CHECK(huge.error.type == "incorrectResponse");
    CHECK_THAT(huge.error.detail, Catch::Contains("more than 1024 bytes"));
}

TEST_CASE("redirects are followed on the same host and port only", "[http01]") {
    Device d;
    d.server.Get(kPath, [&](const httplib::Request&, httplib::Response& res) {
        res.status = 302;
        res.set_header("Location", "/moved/tok");
    });
    d.server.Get("/moved/tok", [&](const httplib::Request&, httplib::Response& res) {
        res.status = 301;
        res.set_header("Location", "http://nas.home.arpa:" + std::to_string(d.port) + "/final");
    });
    d.server.Get("/final", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("tok.thumb", "text/plain");
    });
    d.server.Get("/.well-known/acme-challenge/away",
                 [](const httplib::Request&, httplib::Response& res) {
                     res.status = 302;
                     res.set_header("Location", "http://169.254.169.254/latest/meta-data/");
                 });
    d.server.Get("/.well-known/acme-challenge/loop",
                 [](const httplib::Request&, httplib::Response& res) {
                     res.status = 302;
                     res.set_header("Location", "/.well-known/acme-challenge/loop");
                 });
    d.start();
    auto probe = d.probe();
    CHECK(ChallengeFetcher().check_http01(probe).ok());
    probe.token = "away";
    const auto away = ChallengeFetcher().check_http01(probe);
    CHECK(away.error.type == "connection");
    CHECK_THAT(away.error.detail, Catch::Contains("same host and port"));
    probe.token = "loop";
    CHECK_THAT(ChallengeFetcher().check_http01(probe).error.detail,
               Catch::Contains("redirected more"));
}

TEST_CASE("nobody listening is a connection problem that names the port", "[http01]") {
    int port = 0;
    {
        Device d;  // bound, then closed: the port is free again
        port = d.port;
    }
    acme::Http01Probe probe{"nas.home.arpa", *Ipv4::parse("127.0.0.1"), static_cast<uint16_t>(port),
                            "tok", "tok.thumb"};
    const auto outcome = ChallengeFetcher().check_http01(probe);
    CHECK(outcome.error.type == "connection");
    CHECK_THAT(outcome.error.detail, Catch::Contains("port " + std::to_string(port)));
}

}  // namespace
}  // namespace rca
