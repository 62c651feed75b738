#pragma once
// The web UI's login sessions, kept in memory (a restart logs everyone out, which is acceptable
// for one admin of a home router). Pure: time and randomness are parameters (house style #2).
#include <botan/rng.h>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/types.hpp"

namespace rca::admin {

/// How long sessions live. OWASP Session Management Cheat Sheet: an idle timeout of minutes and
/// an absolute timeout of hours for sensitive applications.
struct SessionLimits {
    std::chrono::seconds absolute{std::chrono::hours(12)};  ///< from login, whatever happens
    std::chrono::seconds idle{std::chrono::minutes(30)};    ///< since the last request
    size_t max_sessions = 32;  ///< the oldest session is dropped to make room
};

/// One logged-in browser (or curl).
struct Session {
    std::string id;          ///< the cookie value: 256 random bits, hex
    std::string csrf_token;  ///< 256 random bits, hex; sent back in X-CSRF-Token
    TimePoint created_at{};
    TimePoint last_used{};
};

/// Sessions by id. Thread-safe.
class SessionStore {
  public:
    /// An empty store with these limits.
    explicit SessionStore(SessionLimits limits = {});

    /// Starts a session at `now` with a fresh id and CSRF token.
    Session create(TimePoint now, Botan::RandomNumberGenerator& rng);
    /// The live session with this id, marked used at `now`; nullopt (and the session forgotten)
    /// when it is unknown, idle too long or too old.
    std::optional<Session> use(const std::string& id, TimePoint now);
    /// Ends one session (logout); unknown ids are ignored.
    void remove(const std::string& id);
    /// Ends every session (after a password reset).
    void clear();
    /// How many sessions are held (live or not yet found expired).
    size_t size() const;

  private:
    bool expired(const Session& s, TimePoint now) const;

    SessionLimits limits_;
    mutable std::mutex mutex_;
    // Keyed by SHA-256 of the id, so that the map's comparisons leak nothing about a real id
    // through timing.
    std::map<std::string, Session> sessions_;
};

}  // namespace rca::admin
