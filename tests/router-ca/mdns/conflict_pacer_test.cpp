#include "mdns/conflict_pacer.hpp"

#include <catch2/catch.hpp>

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("fifteen conflicts in ten seconds bring in a five-second wait (RFC 6762 8.1)",
          "[conflict_pacer]") {
    rca::mdns::ConflictPacer pacer;
    const auto t0 = std::chrono::steady_clock::time_point{} + seconds(100);
    for (int i = 0; i < 14; ++i) CHECK(pacer.on_conflict(t0 + milliseconds(100 * i)).count() == 0);
    CHECK(pacer.on_conflict(t0 + milliseconds(1400)) == seconds(5));
    CHECK(pacer.on_conflict(t0 + milliseconds(6400)) == seconds(5));
}

TEST_CASE("conflicts spread out never wait", "[conflict_pacer]") {
    rca::mdns::ConflictPacer pacer;
    const auto t0 = std::chrono::steady_clock::time_point{} + seconds(100);
    // One conflict a second: at most ten in any ten-second window.
    for (int i = 0; i < 60; ++i) CHECK(pacer.on_conflict(t0 + seconds(i)).count() == 0);
}

TEST_CASE("the wait ends once the burst has left the window", "[conflict_pacer]") {
    rca::mdns::ConflictPacer pacer;
    const auto t0 = std::chrono::steady_clock::time_point{} + seconds(100);
    for (int i = 0; i < 15; ++i) pacer.on_conflict(t0 + milliseconds(10 * i));
    CHECK(pacer.on_conflict(t0 + seconds(11)).count() == 0);
}
