#pragma once
// Failed logins (and setup-code guesses) per client address, in a sliding window, so that a
// device on the LAN cannot try passwords at line rate (OWASP Authentication Cheat Sheet, "Login
// Throttling"). An attempt is counted as a failure before it is tried and forgotten if it
// succeeds: counted only after its hash, ten attempts sent at once would all pass the check and
// all be hashed at once. Pure: time is a parameter.
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/types.hpp"

namespace rca::admin {

/// The throttle's rule: at most `max_failures` failures per `window`.
struct RateLimit {
    size_t max_failures = 10;
    std::chrono::seconds window{60};
    size_t max_clients = 4096;  ///< memory bound; the stalest client is forgotten first
};

/// Counts failures per client. Thread-safe.
class LoginRateLimiter {
  public:
    /// A limiter with this rule.
    explicit LoginRateLimiter(RateLimit limit = {});

    /// When `client` has used up its failures, how long until it may try again (at least 1 s);
    /// nullopt when it may try now.
    std::optional<std::chrono::seconds> refused_for(const std::string& client, TimePoint now);
    /// Counts an attempt by `client` at `now` as a failure, before it is tried (record_success
    /// undoes that); when `client` has used up its failures, counts nothing and returns the wait,
    /// as refused_for does.
    std::optional<std::chrono::seconds> count_attempt(const std::string& client, TimePoint now);
    /// Forgets `client`'s failures (after a successful attempt).
    void record_success(const std::string& client);

  private:
    void prune(std::deque<TimePoint>& failures, TimePoint now) const;
    std::optional<std::chrono::seconds> wait_locked(std::deque<TimePoint>& failures,
                                                    TimePoint now) const;
    void make_room(TimePoint now);

    RateLimit limit_;
    std::mutex mutex_;
    std::map<std::string, std::deque<TimePoint>> failures_;
};

}  // namespace rca::admin
