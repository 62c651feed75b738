#pragma once
// The admin's account for the web UI: first-run setup with the one-time code, login with the
// Argon2id password, sessions, and the login throttle. No sockets or HTTP here; the admin HTTP
// API calls in. Thread-safe.
#include <botan/rng.h>

#include <mutex>
#include <optional>
#include <string>

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
    Argon2Cost argon2;
};

class AdminAccount {
  public:
    /// The account kept in `store`, timed by `clock`. `rng` must be safe to share between
    /// threads (the daemon's entropy::KernelRng is).
    AdminAccount(Store& store, const TimeSource& clock, Botan::RandomNumberGenerator& rng,
                 AccountRules rules = {});

    /// True while no admin account exists (first run).
    bool setup_needed();
    /// The one-time setup code while setup is needed (made on the first call, kept until setup
    /// is done or the daemon restarts); nullopt once an admin exists.
    std::optional<std::string> setup_code();

    /// When `client` has failed too often (login or setup code), how long it must wait.
    std::optional<std::chrono::seconds> throttled(const std::string& client);
    /// First-run setup: with the right code, creates the admin with `password` and logs in.
    /// conflict once an admin exists; unauthorized for a wrong code (counted as a failure);
    /// policy_denied for an unacceptable password.
    Result<Session> set_up(const std::string& code, const std::string& password,
                           const std::string& client);
    /// Logs in with the password; unauthorized (counted as a failure) when it is wrong.
    Result<Session> log_in(const std::string& password, const std::string& client);

    /// The live session with this id (its idle timer restarted).
    std::optional<Session> session(const std::string& id);
    /// Ends one session.
    void log_out(const std::string& id);
    /// Ends every session (after `router-ca passwd`).
    void log_out_everyone();

  private:
    Store& store_;
    const TimeSource& clock_;
    Botan::RandomNumberGenerator& rng_;
    AccountRules rules_;
    SessionStore sessions_;
    LoginRateLimiter limiter_;
    std::mutex mutex_;  // guards setup_code_
    std::optional<std::string> setup_code_;
};

}  // namespace rca::admin
