#pragma once
// The admin's account for the web UI: first-run setup with the one-time code, login with the
// Argon2id password, sessions, and the login throttle. No sockets or HTTP here; the admin HTTP
// API calls in. Thread-safe.
//
// Every login and setup attempt is admitted before any work that costs memory: it needs a free
// hashing slot (admin/hashing_slots.hpp) and a client that has failures left, and is counted as a
// failure before its password is hashed (admin/login_rate_limiter.hpp). A refused attempt costs
// nothing but its answer.
#include <botan/rng.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "admin/hashing_slots.hpp"
#include "admin/login_rate_limiter.hpp"
#include "admin/password_hash.hpp"
#include "admin/session_store.hpp"
#include "core/result.hpp"
#include "core/store.hpp"
#include "core/time_source.hpp"

namespace rca::admin {

/// Limits and costs of the account; the defaults are the production values.
struct AccountRules {
    SessionLimits sessions;
    RateLimit logins;
    Argon2Cost argon2;  ///< for new hashes; a stored hash keeps its own until re-hashed
};

/// An attempt refused untried: the client may come back after `retry_after` (RFC 6585 4: 429).
struct TryLater {
    std::chrono::seconds retry_after;  ///< at least 1 s
    std::string detail;                ///< why, and the wait, for a person
};

/// A login or setup attempt's outcome: a session, a refusal to try now, or an error.
using Attempt = BasicResult<Session, std::variant<TryLater, Error>>;

class AdminAccount {
  public:
    /// The account kept in `store`, timed by `clock`, hashing in `slots` (all must outlive it).
    /// `rng` must be safe to share between threads (the daemon's entropy::KernelRng is).
    AdminAccount(Store& store, const TimeSource& clock, Botan::RandomNumberGenerator& rng,
                 HashingSlots& slots, AccountRules rules = {});

    /// True while no admin account exists (first run).
    bool setup_needed();
    /// The one-time setup code while setup is needed (made on the first call, kept until setup
    /// is done or the daemon restarts); nullopt once an admin exists.
    std::optional<std::string> setup_code();

    /// First-run setup: with the right code, creates the admin with `password` and logs in.
    /// Error conflict once an admin exists; TryLater while `client` is throttled or no hashing
    /// slot is free; error unauthorized for a wrong code; policy_denied for an unacceptable
    /// password. Every admitted attempt counts as a failure unless it succeeds.
    Attempt set_up(const std::string& code, const std::string& password, const std::string& client);
    /// Logs in with the password. Error conflict before setup; TryLater while `client` is
    /// throttled or no hashing slot is free; error unauthorized for a wrong password. A stored
    /// hash of another cost than the rules' is replaced after a successful login.
    Attempt log_in(const std::string& password, const std::string& client);

    /// The live session with this id (its idle timer restarted).
    std::optional<Session> session(const std::string& id);
    /// Ends one session.
    void log_out(const std::string& id);
    /// Ends every session (after `router-ca passwd`).
    void log_out_everyone();

  private:
    // Takes a hashing slot for one attempt by `client` and counts the attempt as a failure, or
    // says why not now.
    BasicResult<HashingSlots::Slot, TryLater> admit(const std::string& client);
    void rehash_if_needed(const std::string& password, const std::string& stored);

    Store& store_;
    const TimeSource& clock_;
    Botan::RandomNumberGenerator& rng_;
    HashingSlots& slots_;
    AccountRules rules_;
    SessionStore sessions_;
    LoginRateLimiter limiter_;
    std::mutex mutex_;  // guards setup_code_
    std::optional<std::string> setup_code_;
};

}  // namespace rca::admin
