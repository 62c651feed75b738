#include "core/name_assigner.hpp"

#include <botan/auto_rng.h>

#include <catch2/catch.hpp>
#include <regex>
#include <set>

namespace rca {
namespace {

TEST_CASE("hints become one lowercase LDH label", "[names]") {
    struct Case {
        std::string hint;
        std::string label;
    };
    const auto c = GENERATE(
        Case{"camera", "camera"}, Case{"My Camera!", "my-camera"}, Case{"--NAS__01--", "nas-01"},
        Case{"printer.home.arpa", "printer-home-arpa"}, Case{"ÜberCam", "bercam"}, Case{"", ""},
        Case{"!!!", ""}, Case{"a..b", "a-b"}, Case{std::string(100, 'x'), std::string(63, 'x')},
        Case{std::string(62, 'x') + "-y", std::string(62, 'x')}, Case{"xn--caf-dma", "xn-caf-dma"});
    CAPTURE(c.hint);
    CHECK(sanitize_label(c.hint) == c.label);
}

TEST_CASE("names clients look up to configure themselves are never assigned", "[names]") {
    for (const char* reserved : {"wpad", "WPAD", "isatap", "localhost", "router", "_acme"})
        CHECK(is_reserved_label(reserved));
    for (const char* fine : {"wpad2", "printer", "routers", "my-router", ""})
        CHECK_FALSE(is_reserved_label(fine));
    Botan::AutoSeeded_RNG rng;
    const NameTaken none = [](const std::string&) { return false; };
    CHECK(assign_name("wpad", none, rng) == "wpad-2");
    CHECK(assign_name("ISATAP", none, rng) == "isatap-2");
    CHECK(assign_name("localhost", none, rng) == "localhost-2");
    CHECK(assign_name("router", none, rng) == "router-2");
}

TEST_CASE("taken names get -2, -3 and stay within 63 characters", "[names]") {
    Botan::AutoSeeded_RNG rng;
    std::set<std::string> taken = {"camera", "camera-2"};
    const auto is_taken = [&](const std::string& n) { return taken.count(n) > 0; };
    CHECK(assign_name("camera", is_taken, rng) == "camera-3");
    CHECK(assign_name("printer", is_taken, rng) == "printer");
    const std::string long_name(63, 'a');
    taken.insert(long_name);
    const auto numbered = assign_name(long_name, is_taken, rng);
    CHECK(numbered == std::string(61, 'a') + "-2");
}

TEST_CASE("without a hint a friendly adjective-surname is generated", "[names]") {
    Botan::AutoSeeded_RNG rng;
    std::set<std::string> taken;
    const std::regex friendly("[a-z]+-[a-z]+(-[0-9]+)?");
    for (int i = 0; i < 200; ++i) {
        const auto name = assign_name(
            "", [&](const std::string& n) { return taken.count(n) > 0; }, rng);
        CHECK(std::regex_match(name, friendly));
        CHECK(taken.insert(name).second);  // always unique
    }
}

}  // namespace
}  // namespace rca
