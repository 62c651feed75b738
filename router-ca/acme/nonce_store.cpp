#include "acme/nonce_store.hpp"

#include <vector>

#include "jose/base64url.hpp"

namespace rca::acme {

NonceStore::NonceStore(Botan::RandomNumberGenerator& rng, size_t capacity)
    : rng_(rng), capacity_(capacity) {}

std::string NonceStore::issue() {
    std::vector<uint8_t> bytes(16);
    const std::lock_guard<std::mutex> lock(mutex_);
    rng_.randomize(bytes.data(), bytes.size());
    std::string nonce = jose::base64url_encode(bytes);
    live_.insert(nonce);
    order_.push_back(nonce);
    // Consumed nonces stay in order_ until they reach the front; only live_ decides acceptance.
    while (order_.size() > capacity_) {
        live_.erase(order_.front());
        order_.pop_front();
    }
    return nonce;
}

bool NonceStore::consume(const std::string& nonce) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return live_.erase(nonce) == 1;
}

}  // namespace rca::acme
