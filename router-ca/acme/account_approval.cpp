// Who may order: the pairing window's decisions about ACME accounts (one approval, one device:
// issue 15), and the admin's side (approval, External Account Binding keys, releasing a name).
#include <botan/rng.h>

#include "acme/acme_service.hpp"
#include "common/ascii_lower.hpp"
#include "jose/base64url.hpp"

namespace rca::acme {

// --- pairing ---------------------------------------------------------------------------------

void AcmeService::decide_pairing(const PairingDecision& d) {
    const std::string& id = d.who.id;
    const TimePoint now = clock_.now();
    switch (d.verdict) {
        case PairingVerdict::approve:
            acme_store_.set_account_approval(id, Approval::pairing, now,
                                             AuditEvent{now, "acme.account.approved", id,
                                                        "the only newcomer in the pairing window"});
            break;
        case PairingVerdict::overlap:
            acme_store_.set_account_approval(
                id, Approval::overlap, now,
                AuditEvent{now, "pairing.overlap", id,
                           "several devices or accounts asked in one window"});
            break;
        case PairingVerdict::replaced:
            break;  // one key is one account: the same key never asks twice
        case PairingVerdict::withdraw:
            // The enrolment service re-signs the CRL and tells DNS and mDNS (apply()).
            acme_store_.withdraw_account_approval(
                id, now,
                AuditEvent{now, "pairing.withdrawn", id,
                           "approved in this window, then another device or account asked: its "
                           "certificates revoked, its names freed"});
            break;
    }
}

void AcmeService::pairing_decided() {
    const std::lock_guard<std::mutex> lock(listener_mutex_);
    if (pairing_listener_) pairing_listener_();
}

bool AcmeService::pairing_decided(const std::string& account_id) {
    const auto account = acme_store_.find_account(account_id);
    return !account || account->approval != Approval::waiting;
}

void AcmeService::set_pairing_listener(std::function<void()> listener) {
    const std::lock_guard<std::mutex> lock(listener_mutex_);
    pairing_listener_ = std::move(listener);
}

// --- the admin's side ------------------------------------------------------------------------

std::vector<Account> AcmeService::accounts() { return acme_store_.accounts(); }

Result<Account> AcmeService::approve(const std::string& account_id) {
    auto account = acme_store_.find_account(account_id);
    if (!account) return fail(Errc::not_found, "there is no ACME account " + account_id);
    if (account->status != AccountStatus::valid)
        return fail(Errc::conflict, "account " + account_id + " is " + to_string(account->status));
    // An account the button approved may hold one name; the admin's approval lets it hold more.
    if (approved(account->approval) && account->approval != Approval::pairing) return *account;
    const TimePoint now = clock_.now();
    acme_store_.set_account_approval(
        account_id, Approval::admin, now,
        AuditEvent{now, "acme.account.approved", account_id, "by the admin"});
    return *acme_store_.find_account(account_id);
}

EabCredential AcmeService::create_eab() {
    EabKey key;
    std::vector<uint8_t> kid(9);
    rng_.randomize(kid.data(), kid.size());
    key.kid = "eab-" + jose::base64url_encode(kid);
    key.mac_key.resize(32);  // HMAC-SHA256 with a full-size key (RFC 2104 section 3)
    rng_.randomize(key.mac_key.data(), key.mac_key.size());
    key.created_at = clock_.now();
    acme_store_.add_eab_key(
        key, AuditEvent{key.created_at, "acme.eab.created", key.kid, "by the admin"});
    return {key.kid, jose::base64url_encode(key.mac_key)};
}

Result<std::vector<std::string>> AcmeService::release(const std::string& name) {
    // The admin may say "nas" or "nas.home.arpa"; the store keys names by label.
    std::string label = ascii_lower(name);
    const std::string suffix = "." + issuer_.policy().domain;
    if (label.size() > suffix.size() &&
        label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0)
        label.resize(label.size() - suffix.size());
    const TimePoint now = clock_.now();
    auto serials = acme_store_.release_name(
        label, now, AuditEvent{now, "acme.name.released", label, "by the admin"});
    if (!serials) return fail(Errc::not_found, "no ACME account owns the name " + label);
    enrolment_.note_devices_changed(!serials->empty());
    return *serials;
}

void AcmeService::purge() { acme_store_.purge_orders(clock_.now() - std::chrono::hours(24)); }

}  // namespace rca::acme
