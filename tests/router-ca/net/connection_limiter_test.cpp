#include "net/connection_limiter.hpp"

#include <catch2/catch.hpp>
#include <vector>

namespace rca {
namespace {

using Verdict = ConnectionLimiter::Verdict;

// Admits one connection from `address`, keeping its slot in `held` when admitted.
Verdict admit(ConnectionLimiter& limiter, const std::string& address,
              std::vector<ConnectionLimiter::Slot>& held) {
    std::optional<ConnectionLimiter::Slot> slot;
    const auto verdict = limiter.admit(address, slot);
    CHECK(slot.has_value() == (verdict == Verdict::admitted));
    if (slot) held.push_back(std::move(*slot));
    return verdict;
}

TEST_CASE("connection limiter: one address gets its share, others keep theirs", "[limits]") {
    ConnectionLimiter limiter({2, 3});
    std::vector<ConnectionLimiter::Slot> held;
    CHECK(admit(limiter, "127.0.0.2", held) == Verdict::admitted);
    CHECK(admit(limiter, "127.0.0.2", held) == Verdict::admitted);
    for (int i = 0; i < 500; ++i)
        CHECK(admit(limiter, "127.0.0.2", held) == Verdict::per_address_full);
    CHECK(admit(limiter, "127.0.0.1", held) == Verdict::admitted);
    CHECK(admit(limiter, "127.0.0.3", held) == Verdict::total_full);
    CHECK(limiter.open() == 3);
    CHECK(limiter.refused() == 501);
}

TEST_CASE("connection limiter: a closed connection frees its slot", "[limits]") {
    ConnectionLimiter limiter({1, 8});
    std::vector<ConnectionLimiter::Slot> held;
    CHECK(admit(limiter, "10.0.0.5", held) == Verdict::admitted);
    CHECK(admit(limiter, "10.0.0.5", held) == Verdict::per_address_full);
    held.clear();
    CHECK(limiter.open() == 0);
    CHECK(admit(limiter, "10.0.0.5", held) == Verdict::admitted);
    // A moved-from slot frees nothing; the slot it moved into frees once.
    ConnectionLimiter::Slot moved = std::move(held.front());
    held.clear();
    CHECK(limiter.open() == 1);
    { const ConnectionLimiter::Slot gone = std::move(moved); }
    CHECK(limiter.open() == 0);
}

}  // namespace
}  // namespace rca
