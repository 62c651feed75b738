#include "daemon/ca_keys.hpp"

#include "core/ca_hierarchy.hpp"
#include "core/certificate_signer.hpp"
#include "core/time_text.hpp"
#include "daemon/ca_files.hpp"
#include "daemon/log.hpp"
#include "files/atomic_file.hpp"

namespace rca {

CaKeys::CaKeys(DataPaths paths, Issuer& issuer, std::shared_ptr<Botan::Private_Key> root_key,
               std::string key_secret, Botan::RandomNumberGenerator& rng,
               std::function<void()> rotated)
    : paths_(std::move(paths)),
      issuer_(issuer),
      key_secret_(std::move(key_secret)),
      rng_(rng),
      rotated_(std::move(rotated)),
      root_key_(std::move(root_key)) {}

Result<Done> CaKeys::forget_root() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!root_key_ && !files::exists(paths_.root_key()))
        return fail(Errc::conflict, "the root key is not on this router (offline already)");
    try {
        if (files::exists(paths_.root_key())) files::remove_durably(paths_.root_key());
    } catch (const std::exception& e) {
        return fail(Errc::unavailable, e.what());
    }
    root_key_.reset();
    log_line("the root key was removed from the router; it is offline now");
    return Done{};
}

Result<Botan::X509_Certificate> CaKeys::rotate(const std::string& root_key_pem, TimePoint now) {
    std::shared_ptr<Botan::Private_Key> key;
    if (root_key_pem.empty()) {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (!root_key_)
            return fail(Errc::conflict,
                        "the root key is offline; give the exported key with --root-key FILE");
        key = root_key_;
    } else {
        auto parsed = parse_private_key(root_key_pem, "", "the root key");
        if (!parsed) return parsed.error();
        key = parsed.value();
    }
    if (key->subject_public_key() != issuer_.root().subject_public_key_info())
        return fail(Errc::forbidden, "this key is not the key of this router's root (SHA-256 " +
                                         sha256_fingerprint(issuer_.root()) + ")");
    return rotate_with(std::move(key), now);
}

Result<Botan::X509_Certificate> CaKeys::rotate_with(std::shared_ptr<Botan::Private_Key> root_key,
                                                    TimePoint now) {
    const CaKey root{issuer_.root(), std::move(root_key)};
    CaKey next = make_intermediate(root, issuer_.policy(), rng_, now);
    try {
        save_rotated_intermediate(paths_, next, key_secret_, rng_);
    } catch (const std::exception& e) {
        return fail(Errc::unavailable,
                    std::string("cannot store the new intermediate: ") + e.what());
    }
    const auto cert = next.cert;
    const auto previous = issuer_.intermediate();
    issuer_.rotate(std::move(next));
    log_line("rotated the issuing intermediate: new leaves come from " + ca_key_id(cert) +
             " (expires " + iso8601(to_time_point(cert.not_after())) + "); " + ca_key_id(previous) +
             " stays for its leaves until " + iso8601(to_time_point(previous.not_after())));
    if (rotated_) rotated_();
    return cert;
}

void CaKeys::maintain(TimePoint now) {
    const auto current = issuer_.intermediate();
    const TimePoint due = rotation_due_at(current, issuer_.policy());
    if (now < due) return;
    std::shared_ptr<Botan::Private_Key> root_key;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        root_key = root_key_;
        if (!root_key) {
            if (last_warning_ && now - *last_warning_ < kRotationWarningInterval) return;
            last_warning_ = now;
        }
    }
    if (root_key) {
        const auto rotated = rotate_with(root_key, now);
        if (!rotated)
            log_line("cannot rotate the intermediate, will retry: " + rotated.error().detail);
        return;
    }
    log_line("warning: " + rotation_reason(current, due) +
             "; the root key is offline: run router-ca intermediate rotate --root-key FILE");
}

std::string CaKeys::rotation_reason(const Botan::X509_Certificate& intermediate,
                                    TimePoint due) const {
    if (bounds_only_dns_and_ipv4(intermediate))
        return "the issuing intermediate was made by an older router-ca and bounds DNS names and "
               "IPv4 addresses only, not the purposes, e-mail addresses, URIs and IPv6 addresses "
               "of what it signs (docs/ca-keys.md)";
    return "the issuing intermediate expires " + iso8601(to_time_point(intermediate.not_after())) +
           " and was due for rotation on " + iso8601(due);
}

bool CaKeys::bounds_only_dns_and_ipv4(const Botan::X509_Certificate& ca) const {
    const auto bounds = check_constraints_match(ca, issuer_.policy());
    return bounds && bounds.value() == CaBounds::dns_and_ipv4;
}

nlohmann::json CaKeys::status_json(TimePoint now) const {
    bool online = false;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        online = root_key_ != nullptr;
    }
    const auto held = issuer_.intermediates();
    nlohmann::json intermediates = nlohmann::json::array();
    for (const auto& c : held)
        intermediates.push_back(
            {{"id", ca_key_id(c)}, {"not_after", iso8601(to_time_point(c.not_after()))}});
    const TimePoint due = rotation_due_at(held.front(), issuer_.policy());
    nlohmann::json j = {{"root_key", online ? "online" : "offline"},
                        {"intermediate_key_encrypted", !key_secret_.empty()},
                        {"intermediates", intermediates},
                        {"rotation_due_at", iso8601(due)}};
    if (now >= due && !online)
        j["rotation_warning"] = rotation_reason(held.front(), due) +
                                ": run router-ca intermediate rotate --root-key FILE";
    if (old_root()) j["root_warning"] = kOldRootWarning;
    return j;
}

}  // namespace rca
