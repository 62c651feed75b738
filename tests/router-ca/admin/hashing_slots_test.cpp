#include "admin/hashing_slots.hpp"

#include <catch2/catch.hpp>
#include <vector>

using rca::admin::HashingSlots;

TEST_CASE("hashing slots: at most the count at once, each given back once", "[slots]") {
    const size_t count = GENERATE(1, 2, 3);
    HashingSlots slots(count);
    std::vector<HashingSlots::Slot> held;
    for (size_t i = 0; i < count; ++i) {
        auto slot = slots.try_take();
        REQUIRE(slot);
        held.push_back(std::move(*slot));
    }
    CHECK_FALSE(slots.try_take());
    held.pop_back();
    auto again = slots.try_take();
    CHECK(again);
    CHECK_FALSE(slots.try_take());
    {
        // A moved-from slot gives nothing back: only the one that holds it does.
        const HashingSlots::Slot moved = std::move(*again);
        again.reset();
        CHECK_FALSE(slots.try_take());
    }
    CHECK(slots.try_take());
}
