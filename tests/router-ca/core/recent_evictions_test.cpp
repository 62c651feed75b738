#include "core/recent_evictions.hpp"

#include <catch2/catch.hpp>

namespace rca {
namespace {

TimePoint at(int s) { return TimePoint(std::chrono::seconds(s)); }

std::vector<std::string> keys_of(const RecentEvictions& e) {
    std::vector<std::string> keys;
    for (const auto& c : e.candidates()) keys.push_back(c.key_id);
    return keys;
}

TEST_CASE("recent evictions: one entry per key, the newest keys kept", "[pairing]") {
    RecentEvictions evictions(2);
    evictions.note({ParticipantId::device_request("r1"), "real", at(1)});
    evictions.note({ParticipantId::device_request("r2"), "flood", at(2)});
    evictions.note({ParticipantId::device_request("r3"), "flood",
                    at(3)});  // a flood of one key takes one entry
    CHECK(keys_of(evictions) == std::vector<std::string>{"real", "flood"});
    CHECK(evictions.candidates().back().who.id == "r3");
    evictions.note({ParticipantId::device_request("r4"), "other",
                    at(4)});  // a third key pushes the oldest out
    CHECK(keys_of(evictions) == std::vector<std::string>{"flood", "other"});
}

}  // namespace
}  // namespace rca
