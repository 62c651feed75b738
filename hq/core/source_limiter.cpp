#include "hq/core/source_limiter.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hq {

std::string source_key(const std::string& address) {
    in6_addr v6{};
    if (inet_pton(AF_INET6, address.c_str(), &v6) != 1) return address;
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    char text[INET_ADDRSTRLEN] = {};
    if (std::memcmp(v6.s6_addr, kMapped, sizeof kMapped) == 0 &&
        inet_ntop(AF_INET, v6.s6_addr + 12, text, sizeof text))
        return text;
    // The /64: the first 8 bytes, the rest zero.
    std::memset(v6.s6_addr + 8, 0, 8);
    char prefix[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &v6, prefix, sizeof prefix);
    return std::string(prefix) + "/64";
}

SourceLimiter::SourceLimiter(SourceLimit limit, Botan::RandomNumberGenerator& rng)
    : limit_(limit),
      siphash_(Botan::MessageAuthenticationCode::create_or_throw("SipHash(2,4)")),
      key_(rng.random_vec(16)),
      slots_(std::max<size_t>(limit.slots, 1)) {}

size_t SourceLimiter::slot_of(const std::string& source) {
    const std::string key = source_key(source);
    // Botan 2's SipHash forgets its key at final(): set it for every message (a few ns).
    siphash_->set_key(key_);
    siphash_->update(reinterpret_cast<const uint8_t*>(key.data()), key.size());
    const auto tag = siphash_->final();
    uint64_t h = 0;
    for (size_t i = 0; i < 8 && i < tag.size(); ++i) h = (h << 8) | tag[i];
    return static_cast<size_t>(h % slots_.size());
}

std::optional<std::chrono::seconds> SourceLimiter::admit(const std::string& source,
                                                         rca::TimePoint now) {
    const std::lock_guard<std::mutex> lock(mutex_);
    Slot& slot = slots_[slot_of(source)];
    // Refill for the time since the slot was last used (a never-used slot is full); a clock that
    // went back refills nothing.
    const double elapsed =
        std::chrono::duration<double>(std::max(now - slot.updated, rca::TimePoint::duration{}))
            .count();
    slot.tokens = slot.updated == rca::TimePoint{}
                      ? limit_.burst
                      : std::min(limit_.burst, slot.tokens + elapsed * limit_.per_second);
    slot.updated = now;
    if (slot.tokens >= 1) {
        slot.tokens -= 1;
        return std::nullopt;
    }
    // Whole seconds until one token has come back (RFC 9110 §10.2.3), rounded up.
    const double wait = (1 - slot.tokens) / limit_.per_second;
    return std::chrono::seconds(std::max<long>(1, static_cast<long>(std::ceil(wait))));
}

}  // namespace hq
