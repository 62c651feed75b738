#include <catch2/catch.hpp>

#include <stdlib.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "mdns/null_publisher.hpp"
#include "mdns/publisher_factory.hpp"

namespace {

// Collects log lines from Avahi's thread.
struct Lines {
    std::mutex mutex;
    std::vector<std::string> lines;
    rca::mdns::PublisherLog sink() {
        return [this](const std::string& line) {
            std::lock_guard<std::mutex> lock(mutex);
            lines.push_back(line);
        };
    }
    size_t count_containing(const std::string& text) {
        std::lock_guard<std::mutex> lock(mutex);
        size_t n = 0;
        for (const auto& l : lines) n += l.find(text) != std::string::npos;
        return n;
    }
};

rca::RouterAdvert advert() {
    rca::RouterAdvert a;
    a.https_port = 8443;
    a.root_fingerprint_hex = std::string(64, 'a');
    a.domain = "home.arpa";
    return a;
}

}  // namespace

TEST_CASE("the null publisher accepts everything and says why it publishes nothing",
          "[publisher]") {
    rca::mdns::NullPublisher p("mDNS is off (--mdns off)");
    p.advertise_router(advert());
    p.publish_hosts({{"camera", *rca::Ipv4::parse("192.168.1.20")}});
    const auto s = p.status();
    CHECK_FALSE(s.enabled);
    CHECK_FALSE(s.daemon_running);
    CHECK(s.collisions.empty());
    CHECK(s.detail == "mDNS is off (--mdns off)");
}

TEST_CASE("mDNS switched off (--mdns off) always gives the null publisher", "[publisher]") {
    Lines log;
    const auto p = rca::make_mdns_publisher(false, log.sink());
    CHECK_FALSE(p->status().enabled);
    CHECK_THAT(p->status().detail, Catch::Contains("--mdns off"));
}

TEST_CASE("without D-Bus or avahi-daemon the publisher starts anyway and says so once",
          "[publisher]") {
    // A bus address where nothing listens, whatever the machine runs: the situation of a router
    // whose avahi-daemon has not started yet.
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/router-ca-test-bus", 1);
    Lines log;
    {
        const auto p = rca::make_mdns_publisher(true, log.sink());
        p->advertise_router(advert());
        p->publish_hosts({{"camera", *rca::Ipv4::parse("192.168.1.20")}});
        const auto s = p->status();
        if (!rca::mdns::avahi_built_in()) {
            CHECK_FALSE(s.enabled);
            CHECK_THAT(s.detail, Catch::Contains("built without Avahi"));
            return;
        }
        CHECK(s.enabled);
        CHECK_FALSE(s.daemon_running);
        CHECK_THAT(s.detail, Catch::Contains("not running"));
        // The first attempt happens on Avahi's thread; give it a moment, then check it spoke.
        for (int i = 0; i < 200 && log.count_containing("D-Bus") == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
    CHECK(log.count_containing("cannot connect to avahi-daemon over the system D-Bus") == 1);
}
