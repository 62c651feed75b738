#include "daemon/connection_limiter.hpp"

namespace rca {

ConnectionLimiter::Slot::~Slot() {
    if (owner_) owner_->release(address_);
}

ConnectionLimiter::Verdict ConnectionLimiter::admit(const std::string& address,
                                                    std::optional<Slot>& slot) {
    std::lock_guard<std::mutex> lock(mutex_);
    // An address appears in the map only while it holds a connection, so the map is bounded by
    // `total` entries whatever the number of addresses that ever connected.
    const auto found = per_address_.find(address);
    const size_t held = found == per_address_.end() ? 0 : found->second;
    Verdict verdict = Verdict::admitted;
    if (held >= limits_.per_address)
        verdict = Verdict::per_address_full;
    else if (open_ >= limits_.total)
        verdict = Verdict::total_full;
    if (verdict != Verdict::admitted) {
        ++refused_;
        return verdict;
    }
    ++per_address_[address];
    ++open_;
    slot.emplace(Slot(this, address));
    return verdict;
}

void ConnectionLimiter::release(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = per_address_.find(address);
    if (found == per_address_.end()) return;
    if (--found->second == 0) per_address_.erase(found);
    --open_;
}

uint64_t ConnectionLimiter::refused() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return refused_;
}

size_t ConnectionLimiter::open() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_;
}

}  // namespace rca
