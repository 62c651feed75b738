#pragma once
// Anti-replay nonces (RFC 8555 section 6.5): each one is handed out once and accepted once. Kept
// in memory, the newest kCapacity only: an old nonce is refused with badNonce and the client
// retries with the fresh one that every answer carries (section 6.5: "the client MUST retry").
#include <botan/rng.h>

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

namespace rca::acme {

class NonceStore {
  public:
    /// Enough for every client on a home network to hold a few nonces at once; 8192 nonces of 22
    /// characters cost about half a megabyte with the index.
    static constexpr size_t kCapacity = 8192;

    explicit NonceStore(Botan::RandomNumberGenerator& rng, size_t capacity = kCapacity);

    /// A new nonce: 128 random bits, base64url.
    std::string issue();
    /// True exactly once for a nonce issue() returned and that is still among the newest.
    bool consume(const std::string& nonce);

  private:
    Botan::RandomNumberGenerator& rng_;
    size_t capacity_;
    std::mutex mutex_;
    std::deque<std::string> order_;  ///< oldest first, for eviction
    std::unordered_set<std::string> live_;
};

}  // namespace rca::acme
