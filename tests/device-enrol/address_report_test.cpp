#include "denrol/address_report.hpp"

#include <catch2/catch.hpp>

#include "denrol/address_probe.hpp"

TEST_CASE("which address to report", "[address_report]") {
    struct Row {
        std::optional<std::string> detected;
        std::string reported;
        std::string refused;
        std::optional<std::string> report;
    };
    const auto row = GENERATE(values<Row>({
        {"192.168.1.20", "", "", "192.168.1.20"},                          // never reported
        {"192.168.1.20", "192.168.1.20", "", std::nullopt},                // unchanged
        {"192.168.1.21", "192.168.1.20", "", "192.168.1.21"},              // moved
        {"192.168.1.21", "192.168.1.20", "192.168.1.21", std::nullopt},    // refused before
        {"192.168.1.22", "192.168.1.20", "192.168.1.21", "192.168.1.22"},  // moved again
        {std::nullopt, "192.168.1.20", "", std::nullopt},                  // no route right now
        {"", "192.168.1.20", "", std::nullopt},
    }));
    CHECK(denrol::address_to_report(row.detected, {row.reported, row.refused}) == row.report);
}

TEST_CASE("what a failed update means for run", "[address_report]") {
    using denrol::Errc;
    using denrol::UpdateFailure;
    struct Row {
        Errc code;
        int http;
        UpdateFailure means;
    };
    const auto row = GENERATE(values<Row>({
        {Errc::unreachable, 0, UpdateFailure::retry_later},
        {Errc::protocol, 0, UpdateFailure::retry_later},
        {Errc::untrusted, 0, UpdateFailure::retry_later},
        {Errc::refused, 503, UpdateFailure::retry_later},
        {Errc::refused, 400, UpdateFailure::skip_address},
        {Errc::refused, 404, UpdateFailure::skip_address},
        {Errc::refused, 401, UpdateFailure::stop},
        {Errc::refused, 403, UpdateFailure::stop},
        {Errc::local, 0, UpdateFailure::stop},
    }));
    CHECK(denrol::classify_update_failure(denrol::fail(row.code, "x", row.http)) == row.means);
}

TEST_CASE("the kernel's source address towards loopback is loopback", "[address_probe]") {
    const denrol::KernelAddressProbe probe;
    CHECK(probe.source_towards({"127.0.0.1", 8443}) == std::optional<std::string>("127.0.0.1"));
    CHECK(probe.source_towards({"127.0.0.53", 53}) == std::optional<std::string>("127.0.0.1"));
}
