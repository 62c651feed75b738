#include "admin/admin_account.hpp"

#include "admin/setup_code.hpp"

namespace rca::admin {

AdminAccount::AdminAccount(Store& store, const TimeSource& clock, Botan::RandomNumberGenerator& rng,
                           AccountRules rules)
    : store_(store),
      clock_(clock),
      rng_(rng),
      rules_(rules),
      sessions_(rules.sessions),
      limiter_(rules.logins) {}

bool AdminAccount::setup_needed() { return !store_.admin_password_hash().has_value(); }

std::optional<std::string> AdminAccount::setup_code() {
    // The store decides, not a flag here: `router-ca passwd` may have created the admin from
    // another process.
    if (!setup_needed()) return std::nullopt;
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!setup_code_) setup_code_ = make_setup_code(rng_);
    return setup_code_;
}

std::optional<std::chrono::seconds> AdminAccount::throttled(const std::string& client) {
    return limiter_.refused_for(client, clock_.now());
}

Result<Session> AdminAccount::set_up(const std::string& code, const std::string& password,
                                     const std::string& client) {
    const auto expected = setup_code();
    if (!expected)
        return fail(Errc::conflict,
                    "the router already has an admin; log in, or reset the "
                    "password with 'router-ca passwd' on the router");
    if (!setup_code_matches(*expected, code)) {
        limiter_.record_failure(client, clock_.now());
        return fail(Errc::unauthorized,
                    "wrong setup code; it is in the router's log and shown by "
                    "'router-ca setup-code'");
    }
    if (const auto problem = password_problem(password)) return fail(Errc::policy_denied, *problem);
    const std::string hash = hash_password(password, rng_, rules_.argon2);
    const TimePoint now = clock_.now();
    if (!store_.create_admin(hash, now, {now, "admin.created", "admin", "first-run setup"}))
        return fail(Errc::conflict, "the router already has an admin; log in instead");
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        setup_code_.reset();
    }
    limiter_.record_success(client);
    return sessions_.create(now, rng_);
}

Result<Session> AdminAccount::log_in(const std::string& password, const std::string& client) {
    const auto hash = store_.admin_password_hash();
    if (!hash)
        return fail(Errc::conflict, "the router has no admin yet; finish the first-run setup");
    if (!password_matches(password, *hash)) {
        const TimePoint now = clock_.now();
        limiter_.record_failure(client, now);
        store_.append_audit({now, "admin.login-failed", client, "wrong password"});
        return fail(Errc::unauthorized, "wrong password");
    }
    limiter_.record_success(client);
    const TimePoint now = clock_.now();
    store_.append_audit({now, "admin.login", client, ""});
    return sessions_.create(now, rng_);
}

std::optional<Session> AdminAccount::session(const std::string& id) {
    return sessions_.use(id, clock_.now());
}

void AdminAccount::log_out(const std::string& id) { sessions_.remove(id); }

void AdminAccount::log_out_everyone() { sessions_.clear(); }

}  // namespace rca::admin
