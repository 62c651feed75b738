#include "core/recent_evictions.hpp"

#include <algorithm>

namespace rca {

void RecentEvictions::note(const PairingCandidate& evicted) {
    entries_.erase(
        std::remove_if(entries_.begin(), entries_.end(),
                       [&](const PairingCandidate& c) { return c.key_id == evicted.key_id; }),
        entries_.end());
    entries_.push_back(evicted);
    if (entries_.size() > capacity_)
        entries_.erase(entries_.begin(),
                       entries_.begin() + static_cast<std::ptrdiff_t>(entries_.size() - capacity_));
}

}  // namespace rca
