#include "admin/session_store.hpp"

#include <botan/hash.h>
#include <botan/hex.h>

namespace rca::admin {
namespace {

// 256 bits: OWASP asks for at least 64 bits of entropy in a session id; tokens are cheap.
constexpr size_t kTokenBytes = 32;

std::string random_hex(Botan::RandomNumberGenerator& rng) {
    std::vector<uint8_t> b(kTokenBytes);
    rng.randomize(b.data(), b.size());
    return Botan::hex_encode(b, false);
}

std::string key_of(const std::string& id) {
    const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
    return Botan::hex_encode(hash->process(id), false);
}

}  // namespace

SessionStore::SessionStore(SessionLimits limits) : limits_(limits) {}

bool SessionStore::expired(const Session& s, TimePoint now) const {
    return now - s.created_at >= limits_.absolute || now - s.last_used >= limits_.idle;
}

Session SessionStore::create(TimePoint now, Botan::RandomNumberGenerator& rng) {
    Session s{random_hex(rng), random_hex(rng), now, now};
    const std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();)
        it = expired(it->second, now) ? sessions_.erase(it) : std::next(it);
    while (!sessions_.empty() && sessions_.size() >= limits_.max_sessions) {
        auto oldest = sessions_.begin();
        for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
            if (it->second.last_used < oldest->second.last_used) oldest = it;
        sessions_.erase(oldest);
    }
    sessions_[key_of(s.id)] = s;
    return s;
}

std::optional<Session> SessionStore::use(const std::string& id, TimePoint now) {
    if (id.empty()) return std::nullopt;
    const std::string key = key_of(id);
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = sessions_.find(key);
    if (it == sessions_.end()) return std::nullopt;
    if (expired(it->second, now)) {
        sessions_.erase(it);
        return std::nullopt;
    }
    it->second.last_used = now;
    return it->second;
}

void SessionStore::remove(const std::string& id) {
    const std::string key = key_of(id);
    const std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(key);
}

void SessionStore::clear() {
    const std::lock_guard<std::mutex> lock(mutex_);
    sessions_.clear();
}

size_t SessionStore::size() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return sessions_.size();
}

}  // namespace rca::admin
