#pragma once
// A per-source rate limit for HQ's unauthenticated endpoints (registration, order polls): a
// token bucket per client address, kept in a fixed-size table so that memory does not grow with
// the number of addresses an attacker uses, and each request costs O(1). Addresses are placed by
// a keyed hash (SipHash, a random key per process), so nobody can aim at another address's slot;
// two addresses that share a slot share its budget, which errs on the side of refusing. IPv6
// sources count by their /64, the block one subscriber gets (RFC 6177), so that one host cannot
// hop through its 2^64 addresses. Pure: time and randomness are parameters (house style #2).
#include <botan/mac.h>
#include <botan/rng.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace hq {

/// The limit's rule.
struct SourceLimit {
    /// Requests a source may make at once after a quiet spell: a router registering and polling
    /// a few orders needs far fewer.
    double burst = 60;
    /// Requests per second a source may keep up (`--source-rate` gives it per minute): many homes
    /// may share one address (carrier-grade NAT), so 5 is generous; it stops floods, not routers.
    double per_second = 5;
    /// Slots in the table: 65536 slots of 24 bytes are 1.5 MiB, whatever the traffic.
    size_t slots = 65536;
};

/// Token buckets per source address; thread-safe.
class SourceLimiter {
  public:
    /// A limiter with this rule; its hash key is drawn from rng now.
    SourceLimiter(SourceLimit limit, Botan::RandomNumberGenerator& rng);

    /// Takes one request from source's budget at now; when the budget is spent, takes nothing
    /// and returns how long until one more request is allowed (at least 1 s, for Retry-After).
    std::optional<std::chrono::seconds> admit(const std::string& source, rca::TimePoint now);

  private:
    struct Slot {
        double tokens = 0;
        rca::TimePoint updated{};  ///< epoch: never used, a full bucket
    };
    size_t slot_of(const std::string& source);

    const SourceLimit limit_;
    std::mutex mutex_;
    std::unique_ptr<Botan::MessageAuthenticationCode> siphash_;
    Botan::secure_vector<uint8_t> key_;  ///< drawn once: slots stay put for the process's life
    std::vector<Slot> slots_;
};

/// The key a source is counted by: an IPv4 address as itself, an IPv6 address as its /64 (an
/// IPv4-mapped one as the IPv4 address), anything else as given.
std::string source_key(const std::string& address);

}  // namespace hq
