#pragma once
// The undecided requests the caps pushed out (RequestLimits), remembered by key for the next
// press. A flood evicts the oldest request, so a real device that asked before the press (within
// the lookback) may be gone from the store when the button is pressed; the flood's request must
// still meet it there as an overlap, never be left as the lone winner (issue 15, parked requests).
//
// Bounded: one entry per key, the newest `capacity` keys. Pushing a real device's key out takes
// that many other keys evicted after it, all received later, so all within the same lookback:
// they make the overlap themselves.
#include <cstddef>
#include <vector>

#include "core/pairing_window.hpp"

namespace rca {

class RecentEvictions {
  public:
    /// Remembers at most `capacity` keys.
    explicit RecentEvictions(size_t capacity = 64) : capacity_(capacity) {}

    /// Notes an evicted request; a key noted before keeps one entry, with this request.
    void note(const PairingCandidate& evicted);
    /// The newest evicted request of each key remembered, oldest first.
    const std::vector<PairingCandidate>& candidates() const { return entries_; }

  private:
    size_t capacity_;
    std::vector<PairingCandidate> entries_;
};

}  // namespace rca
