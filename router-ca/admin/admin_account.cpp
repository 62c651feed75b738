#include "admin/admin_account.hpp"

#include "admin/setup_code.hpp"

namespace rca::admin {
namespace {

// A busy slot frees within one hash (under 0.1 s on the VM of docs/security.md's figures; a
// router's CPU is slower); Retry-After counts whole seconds (RFC 9110 10.2.3), so 1 s is the
// shortest answer it can give.
constexpr std::chrono::seconds kBusyRetryAfter{1};

Attempt failed(Errc code, std::string detail) {
    return Attempt(std::variant<TryLater, Error>(fail(code, std::move(detail))));
}

Attempt later(const TryLater& refusal) { return Attempt(std::variant<TryLater, Error>(refusal)); }

TryLater throttled(std::chrono::seconds wait) {
    return {wait, "too many failed attempts from this address; try again in " +
                      std::to_string(wait.count()) + " s"};
}

std::string cost_text(Argon2Cost cost) {
    return "Argon2id m=" + std::to_string(cost.memory_kib) +
           " KiB, t=" + std::to_string(cost.iterations) + ", p=" + std::to_string(cost.parallelism);
}

}  // namespace

AdminAccount::AdminAccount(Store& store, const TimeSource& clock, Botan::RandomNumberGenerator& rng,
                           HashingSlots& slots, AccountRules rules)
    : store_(store),
      clock_(clock),
      rng_(rng),
      slots_(slots),
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

BasicResult<HashingSlots::Slot, TryLater> AdminAccount::admit(const std::string& client) {
    const TimePoint now = clock_.now();
    // The throttle first, so that a throttled client hears its real wait even while every slot
    // is busy.
    if (const auto wait = limiter_.refused_for(client, now)) return throttled(*wait);
    auto slot = slots_.try_take();
    if (!slot)
        return TryLater{kBusyRetryAfter, "the router is checking other passwords; try again in " +
                                             std::to_string(kBusyRetryAfter.count()) + " s"};
    // Counted before the hash: attempts sent at once cannot all pass the throttle's check. The
    // check is repeated here because another attempt may have been counted since the first.
    if (const auto wait = limiter_.count_attempt(client, now)) return throttled(*wait);
    return std::move(*slot);
}

Attempt AdminAccount::set_up(const std::string& code, const std::string& password,
                             const std::string& client) {
    const auto expected = setup_code();
    if (!expected)
        return failed(Errc::conflict,
                      "the router already has an admin; log in, or reset the "
                      "password with 'router-ca passwd' on the router");
    std::string hash;
    {
        const auto slot = admit(client);
        if (!slot) return later(slot.error());
        if (!setup_code_matches(*expected, code))
            return failed(Errc::unauthorized,
                          "wrong setup code; it is in the router's log and shown by "
                          "'router-ca setup-code'");
        if (const auto problem = password_problem(password))
            return failed(Errc::policy_denied, *problem);
        hash = hash_password(password, rng_, rules_.argon2);
    }
    const TimePoint now = clock_.now();
    if (!store_.create_admin(hash, now, {now, "admin.created", "admin", "first-run setup"}))
        return failed(Errc::conflict, "the router already has an admin; log in instead");
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        setup_code_.reset();
    }
    limiter_.record_success(client);
    return sessions_.create(now, rng_);
}

Attempt AdminAccount::log_in(const std::string& password, const std::string& client) {
    const auto hash = store_.admin_password_hash();
    if (!hash)
        return failed(Errc::conflict, "the router has no admin yet; finish the first-run setup");
    bool right = false;
    {
        const auto slot = admit(client);
        if (!slot) return later(slot.error());
        // Setup and `router-ca passwd` refuse longer passwords, so a longer one is wrong unhashed.
        right = password.size() <= kMaxPasswordLength && password_matches(password, *hash);
        if (right) rehash_if_needed(password, *hash);
    }
    const TimePoint now = clock_.now();
    if (!right) {
        store_.append_audit({now, "admin.login-failed", client, "wrong password"});
        return failed(Errc::unauthorized, "wrong password");
    }
    limiter_.record_success(client);
    store_.append_audit({now, "admin.login", client, ""});
    return sessions_.create(now, rng_);
}

// A hash of another cost (an older router-ca's, 19 MiB) still verifies, since it names its own
// cost, but every check of it, the wrong guesses included, holds that much memory in its slot.
// Only a login with the right password can re-hash it, so the first one does.
void AdminAccount::rehash_if_needed(const std::string& password, const std::string& stored) {
    if (hash_has_cost(stored, rules_.argon2)) return;
    const TimePoint now = clock_.now();
    store_.replace_admin_password_hash(
        stored, hash_password(password, rng_, rules_.argon2), now,
        {now, "admin.password-rehashed", "admin", "now " + cost_text(rules_.argon2)});
}

std::optional<Session> AdminAccount::session(const std::string& id) {
    return sessions_.use(id, clock_.now());
}

void AdminAccount::log_out(const std::string& id) { sessions_.remove(id); }

void AdminAccount::log_out_everyone() { sessions_.clear(); }

}  // namespace rca::admin
