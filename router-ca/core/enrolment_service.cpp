#include "core/enrolment_service.hpp"

#include <algorithm>

#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/mem_ops.h>
#include <botan/pem.h>
#include <botan/x509cert.h>

#include "core/certificate_signer.hpp"
#include "core/csr_policy.hpp"
#include "core/ipv6.hpp"
#include "core/name_assigner.hpp"
#include "core/pairing_plan.hpp"

namespace rca {
namespace {

// 128 bits for ids, 256 for poll tokens: neither can be guessed or enumerated from the LAN.
constexpr size_t kIdBytes = 16;
constexpr size_t kTokenBytes = 32;

std::string random_hex(Botan::RandomNumberGenerator& rng, size_t bytes) {
    std::vector<uint8_t> b(bytes);
    rng.randomize(b.data(), b.size());
    return Botan::hex_encode(b, false);
}

Bytes sha256(const std::string& text) {
    const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
    const auto digest = hash->process(text);
    return Bytes(digest.begin(), digest.end());
}

std::string detail_for(RequestStatus status) {
    switch (status) {
        case RequestStatus::pending:
            return "waiting for the pairing button on the router, or approval in its admin UI";
        case RequestStatus::issued:
            return "";
        case RequestStatus::denied:
            return "the router's admin denied this request";
        case RequestStatus::overlap:
            return "two or more devices asked to pair at the same time, so none was approved; "
                   "pair again with one device at a time, or approve this request on the router";
        case RequestStatus::expired:
            return "the request was not approved in time; press the pairing button and try again";
    }
    return "";
}

AuditEvent audit(TimePoint at, std::string event, std::string subject, std::string detail) {
    return AuditEvent{at, std::move(event), std::move(subject), std::move(detail)};
}

}  // namespace

EnrolmentService::EnrolmentService(Store& store, const Issuer& issuer, PairingRules rules,
                                   const TimeSource& clock, Botan::RandomNumberGenerator& rng,
                                   RequestLimits limits)
    : store_(store),
      issuer_(issuer),
      issuance_(store, issuer, rng),
      window_(rules),
      limits_(limits),
      clock_(clock),
      rng_(rng) {}

Result<wire::EnrolmentStatus> EnrolmentService::submit(const Submission& submission) {
    auto csr = accept_csr(submission.csr_pem);
    if (!csr) return csr.error();
    if (auto stated = check_stated_address(submission.stated_ipv4, submission.source); !stated)
        return stated.error();

    return locked([&]() -> Result<wire::EnrolmentStatus> {
        if (!submission.peer.empty() && store_.is_blocked(submission.peer))
            return fail(Errc::forbidden,
                        "the router's admin has blocked this address from asking to pair");
        const TimePoint now = clock_.now();
        const std::string token = random_hex(rng_, kTokenBytes);
        EnrolmentRequest request;
        request.id = random_hex(rng_, kIdBytes);
        request.token_hash = sha256(token);
        request.public_key_info = csr.value().public_key_info;
        request.key_id = csr.value().key_id;
        request.key_type = csr.value().key_type;
        request.name_hint = sanitize_label(submission.name_hint);
        // Judged now, when the request is made: approval by the window may follow at once.
        request.ipv4 = vetted_address(submission.source, 0, request.id, now);
        request.source = submission.peer;
        request.received_at = now;
        // The expired requests stay candidates of an open window: a flood that pushed the real
        // device's request out still meets it there as an overlap, never as the lone winner; and
        // they are remembered for the next press (RecentEvictions), whose lookback they may be in.
        const auto evicted = store_.add_request(
            request, limits_,
            audit(now, "request.received", request.id,
                  "key " + request.key_type + " " + request.key_id.substr(0, 16) + " from " +
                      (request.source.empty() ? "an unknown address" : request.source) +
                      (request.name_hint.empty() ? "" : ", hint " + request.name_hint)),
            audit(now, "request.evicted", "",
                  "expired to make room for newer requests (at most " +
                      std::to_string(limits_.per_source) + " per address, " +
                      std::to_string(limits_.total) + " in all)"));
        for (const auto& id : evicted)
            if (const auto gone = store_.find_request(id))
                evictions_.note(
                    {ParticipantId::device_request(gone->id), gone->key_id, gone->received_at});

        apply(window_.on_request(now,
                                 {ParticipantId::device_request(request.id), request.key_id, now}));
        auto answer = view_of(*store_.find_request(request.id));
        answer.token = token;
        return answer;
    });
}

Result<wire::EnrolmentStatus> EnrolmentService::poll(const std::string& id,
                                                     const std::string& token) {
    // Without the service's lock: a poll decides nothing, and reads only the store (thread-safe
    // on its own) and the issuer's certificates, so it never waits for a renewal's signature and
    // commit, nor for a window's decisions.
    const auto request = store_.find_request(id);
    if (!request)
        return fail(Errc::not_found,
                    "there is no enrolment request with this id (a decided request is kept for a "
                    "day, fewer when many devices ask); press the pairing button and ask again");
    const Bytes presented = sha256(token);
    if (presented.size() != request->token_hash.size() ||
        !Botan::constant_time_compare(presented.data(), request->token_hash.data(),
                                      presented.size()))
        return fail(Errc::unauthorized, "the bearer token does not belong to this request");
    return view_of(*request);
}

void EnrolmentService::set_change_listener(std::function<void()> listener) {
    const std::lock_guard<std::mutex> lock(sinks_mutex_);
    sinks_.changed = std::move(listener);
}

void EnrolmentService::note_devices_changed(bool revoked) {
    return locked([&]() -> void {
        if (revoked) refresh_crl(clock_.now());
        notify_changed();
    });
}

void EnrolmentService::notify_changed() { effects_.devices_changed = true; }

void EnrolmentService::set_overlap_listener(
    std::function<void(const std::vector<ParticipantId>&)> listener) {
    const std::lock_guard<std::mutex> lock(sinks_mutex_);
    sinks_.overlap = std::move(listener);
}

void EnrolmentService::set_pairing_participant(PairingParticipant participant) {
    {
        const std::lock_guard<std::mutex> lock(sinks_mutex_);
        sinks_.accounts_decided = participant.decided;
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    participant_ = std::move(participant);
}

void EnrolmentService::run(const Effects& effects) {
    Sinks sinks;
    {
        const std::lock_guard<std::mutex> lock(sinks_mutex_);
        sinks = sinks_;
    }
    if (sinks.warning)
        for (const auto& event : effects.warnings) sinks.warning(event);
    if (effects.accounts_decided && sinks.accounts_decided) sinks.accounts_decided();
    if (effects.devices_changed && sinks.changed) sinks.changed();
    if (effects.overlap && sinks.overlap) sinks.overlap(*effects.overlap);
}

bool EnrolmentService::offer_to_pairing(const PairingCandidate& candidate) {
    return locked([&]() -> bool {
        const TimePoint now = clock_.now();
        if (!window_.accepting(now)) return false;
        apply(window_.on_request(now, candidate));
        return true;
    });
}

PairingSnapshot EnrolmentService::open_pairing(std::chrono::seconds duration) {
    return locked([&]() -> PairingSnapshot {
        const TimePoint now = clock_.now();
        std::vector<PairingCandidate> pending;
        for (const auto& r : store_.requests_with_status(RequestStatus::pending))
            pending.push_back({ParticipantId::device_request(r.id), r.key_id, r.received_at});
        // Requests a flood pushed out before the press: within the lookback, each is a device that
        // asked (the window approves none of them: an expired request has no key left to sign).
        for (const auto& c : evictions_.candidates()) pending.push_back(c);
        if (participant_)
            for (auto& c : participant_->undecided()) pending.push_back(std::move(c));
        store_.append_audit(
            audit(now, "pairing.opened", "", "for " + std::to_string(duration.count()) + " s"));
        apply(window_.open(now, duration, pending));
        return window_.snapshot();
    });
}

Result<wire::EnrolmentStatus> EnrolmentService::approve(const std::string& request_id) {
    return locked([&]() -> Result<wire::EnrolmentStatus> {
        const auto request = store_.find_request(request_id);
        if (!request) return fail(Errc::not_found, "there is no enrolment request " + request_id);
        if (request->status != RequestStatus::pending && request->status != RequestStatus::overlap)
            return fail(Errc::conflict, std::string("request ") + request_id + " is already " +
                                            to_string(request->status));
        if (window_.request_expired(request->received_at, clock_.now()))
            return fail(Errc::conflict,
                        "request " + request_id + " is too old to approve; pair again");
        store_.append_audit(audit(clock_.now(), "request.approved", request_id, "by the admin"));
        window_.withdraw(ParticipantId::device_request(request_id));
        return issue_for(*request);
    });
}

Result<Done> EnrolmentService::deny(const std::string& request_id) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto request = store_.find_request(request_id);
    if (!request) return fail(Errc::not_found, "there is no enrolment request " + request_id);
    const TimePoint now = clock_.now();
    if (!store_.decide_request(request_id, RequestStatus::denied, now,
                               audit(now, "request.denied", request_id, "by the admin")))
        return fail(Errc::conflict, std::string("request ") + request_id + " is already " +
                                        to_string(request->status));
    window_.withdraw(ParticipantId::device_request(request_id));
    return Done{};
}

Result<std::vector<std::string>> EnrolmentService::block(const std::string& source) {
    if (!Ipv4::parse(source) && !Ipv6Subnet::parse(source + "/128"))
        return fail(Errc::malformed, "\"" + source + "\" is not an IPv4 or IPv6 address");
    const std::lock_guard<std::mutex> lock(mutex_);
    const TimePoint now = clock_.now();
    auto denied = store_.block_source(
        source, now, audit(now, "source.blocked", source, "by the admin; its requests denied"));
    for (const auto& id : denied) window_.withdraw(ParticipantId::device_request(id));
    return denied;
}

Result<Done> EnrolmentService::unblock(const std::string& source) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!store_.unblock_source(source,
                               audit(clock_.now(), "source.unblocked", source, "by the admin")))
        return fail(Errc::not_found, source + " is not blocked");
    return Done{};
}

std::vector<SuspiciousSource> EnrolmentService::suspicious_sources() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return rca::suspicious_sources(store_.stored_requests(), window_.rules().lookback);
}

Result<std::vector<std::string>> EnrolmentService::revoke(const std::string& name,
                                                          RevocationReason reason) {
    return locked([&]() -> Result<std::vector<std::string>> {
        const auto device = store_.find_device_by_name(name);
        if (!device) return fail(Errc::not_found, "there is no device named " + name);
        if (device->source == DeviceSource::router)
            return fail(Errc::forbidden, "the router's own certificate cannot be revoked");
        const TimePoint now = clock_.now();
        auto serials =
            store_.revoke_device(device->id, now, reason,
                                 audit(now, "device.revoked", name,
                                       std::string("by the admin, reason ") + to_string(reason)));
        if (serials.empty()) return fail(Errc::conflict, "device " + name + " is already revoked");
        refresh_crl(now);
        notify_changed();
        return serials;
    });
}

Result<std::string> EnrolmentService::rename(const std::string& name, const std::string& new_name) {
    return locked([&]() -> Result<std::string> {
        const auto device = store_.find_device_by_name(name);
        if (!device) return fail(Errc::not_found, "there is no device named " + name);
        if (device->source == DeviceSource::router)
            return fail(Errc::forbidden, "the router's own name cannot change");
        if (device->source == DeviceSource::acme)
            return fail(Errc::forbidden,
                        "the name of an ACME device is the one its client orders; "
                        "give it back with `router-ca acme release " +
                            name + "`");
        if (device->revoked_at)
            return fail(Errc::conflict, "device " + name + " is revoked; pair it again instead");
        // The same rule as for names the router assigns: one lowercase LDH label (RFC 1123 2.1).
        if (new_name.empty() || sanitize_label(new_name) != new_name)
            return fail(Errc::malformed,
                        "a device name is one label of lowercase letters, digits "
                        "and '-' (not at either end), at most 63 characters");
        if (new_name == kRouterName)
            return fail(Errc::conflict,
                        std::string("the name ") + kRouterName + " belongs to the router itself");
        if (is_reserved_label(new_name))
            return fail(Errc::policy_denied,
                        "the name " + new_name +
                            " is one that clients look up to configure themselves; pick another");
        // Taken by another device, or owned by an ACME account (one namespace, store.hpp).
        if (store_.name_taken(new_name))
            return fail(Errc::conflict, "the name " + new_name + " is taken");
        const TimePoint now = clock_.now();
        if (!store_.rename_device(device->id, new_name,
                                  audit(now, "device.renamed", new_name, "was " + name)))
            return fail(Errc::conflict, "the name " + new_name + " is taken by another device");
        notify_changed();
        return issuer_.policy().fqdn(new_name);
    });
}

Result<Done> EnrolmentService::remove(const std::string& name) {
    return locked([&]() -> Result<Done> {
        const auto device = store_.find_device_by_name(name);
        if (!device) return fail(Errc::not_found, "there is no device named " + name);
        if (device->source == DeviceSource::router)
            return fail(Errc::forbidden, "the router's own certificate cannot be deleted");
        const TimePoint now = clock_.now();
        if (!device->revoked_at) {
            store_.revoke_device(device->id, now, RevocationReason::unspecified,
                                 audit(now, "device.revoked", name, "by the admin, to delete it"));
            refresh_crl(now);
        }
        if (!store_.delete_device(device->id, now,
                                  audit(now, "device.deleted", name, "by the admin")))
            return fail(Errc::not_found, "there is no device named " + name);
        notify_changed();
        return Done{};
    });
}

Botan::X509_Certificate EnrolmentService::issue_router_certificate(
    const std::vector<uint8_t>& public_key_info, const std::vector<Ipv4>& addresses) {
    return locked([&]() -> Botan::X509_Certificate {
        auto issued = issuance_.router(public_key_info, addresses, clock_.now());
        notify_changed();
        return issued.leaf;
    });
}

void EnrolmentService::tick() {
    return locked([&]() -> void {
        const TimePoint now = clock_.now();
        const auto before = window_.snapshot().outcome;
        apply(window_.on_tick(now));
        const auto after = window_.snapshot().outcome;
        if (before == WindowOutcome::open && after == WindowOutcome::timed_out)
            store_.append_audit(audit(now, "pairing.timed-out", "", "no device asked to pair"));
        for (const auto& id :
             store_.expire_requests(now - window_.rules().request_lifetime,
                                    audit(now, "request.expired", "", "not approved in time")))
            window_.withdraw(ParticipantId::device_request(id));
        if (now >= next_purge_) {
            store_.purge_requests(now - limits_.decided_kept, limits_.decided_max,
                                  audit(now, "requests.purged", "",
                                        "decided requests purged (older than a day, or beyond the "
                                        "newest " +
                                            std::to_string(limits_.decided_max) + ")"));
            next_purge_ = now + std::chrono::minutes(1);
        }
        if (crls_stale(now)) refresh_crl(now);
    });
}

TimePoint EnrolmentService::next_deadline() {
    const std::lock_guard<std::mutex> lock(mutex_);
    const TimePoint soon = clock_.now() + std::chrono::seconds(1);
    const auto window = window_.next_deadline();
    return window ? std::min(*window, soon) : soon;
}

PairingSnapshot EnrolmentService::pairing() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return window_.snapshot();
}

Bytes EnrolmentService::crl_der() { return *crl_der(ca_key_id(issuer_.intermediates().back())); }

std::optional<Bytes> EnrolmentService::crl_der(const std::string& intermediate_id) {
    const std::lock_guard<std::mutex> lock(mutex_);
    // A rotation adds an intermediate whose CRL is made on first demand.
    if (crls_stale(clock_.now())) refresh_crl(clock_.now());
    const auto it = crls_.find(intermediate_id);
    if (it == crls_.end()) return std::nullopt;
    return it->second.BER_encode();
}

void EnrolmentService::apply(const std::vector<PairingDecision>& decisions) {
    const TimePoint now = clock_.now();
    const PairingPlan plan = plan_pairing(decisions, window_.snapshot(), now);
    for (const auto& write : plan.writes) {
        const std::string& id = write.decision.who.id;
        switch (write.kind) {
            case PairingWrite::Kind::issue: {
                // Expired meanwhile (made room for newer requests): nothing left to sign.
                const auto request = store_.find_request(id);
                if (!request || request->public_key_info.empty()) break;
                store_.append_audit(*write.audit);
                issue_for(*request);
                break;
            }
            case PairingWrite::Kind::mark_overlap:
                store_.decide_request(id, RequestStatus::overlap, now, *write.audit);
                break;
            case PairingWrite::Kind::mark_replaced:
                store_.decide_request(id, RequestStatus::expired, now, *write.audit);
                break;
            case PairingWrite::Kind::withdraw_issued:
                withdraw_approval(id, now);
                break;
            case PairingWrite::Kind::decide_account:
                if (participant_) participant_->decide(write.decision);
                break;
        }
    }
    if (plan.refresh_crl) refresh_crl(now);
    effects_.add(plan.effects);
}

void EnrolmentService::withdraw_approval(const std::string& request_id, TimePoint now) {
    const auto request = store_.find_request(request_id);
    if (!request || request->status != RequestStatus::issued || !request->cert_serial) return;
    const auto cert = store_.find_certificate(*request->cert_serial);
    if (!cert) return;
    const auto device = store_.find_device(cert->device_id);
    // The key comes back from the certificate, so that the admin may still approve the request.
    const Botan::X509_Certificate leaf(cert->der);
    const auto serials = store_.withdraw_enrolment(
        request_id, leaf.subject_public_key_info(), now,
        audit(now, "pairing.withdrawn", request_id,
              "approved in this window, then another device asked: certificate " +
                  cert->serial_hex + " revoked" +
                  (device ? ", the name " + device->name + " freed" : std::string())));
    if (serials.empty()) return;
    refresh_crl(now);
    notify_changed();
}

Result<wire::EnrolmentStatus> EnrolmentService::issue_for(const EnrolmentRequest& request) {
    const TimePoint now = clock_.now();
    if (request.public_key_info.empty())
        return fail(Errc::conflict, "request " + request.id + " is already decided");
    // Judged again, whoever approves (the window or the admin): another device, or the router,
    // may have taken the address while the request waited (found by the adversarial review).
    const auto address = vetted_address(request.ipv4, 0, request.id, now);
    issuance_.enrol(request, address, now);
    notify_changed();
    return view_of(*store_.find_request(request.id));
}

wire::EnrolmentStatus EnrolmentService::view_of(const EnrolmentRequest& request) const {
    wire::EnrolmentStatus view;
    view.id = request.id;
    view.status = to_string(request.status);
    view.detail = detail_for(request.status);
    if (request.status == RequestStatus::issued && request.device_id && request.cert_serial) {
        const auto device = store_.find_device(*request.device_id);
        const auto cert = store_.find_certificate(*request.cert_serial);
        if (device && cert) {
            // From the DER as stored, never parsed, and PEM-encoded once (base64 was the largest
            // cost of a poll): a device polls until it sees its certificate.
            view.name = device->name;
            view.fqdn = issuer_.policy().fqdn(device->name);
            view.certificate = Botan::PEM_Code::encode(cert->der, "CERTIFICATE");
            view.chain = view.certificate + issuer_.signer_pem(cert->der);
        }
    }
    return view;
}

bool EnrolmentService::crls_stale(TimePoint now) const {
    const auto held = issuer_.intermediates();
    if (crls_.size() != held.size()) return true;
    for (const auto& [id, crl] : crls_)
        if (to_time_point(crl.next_update()) - now < kCrlLifetime / 2) return true;
    return false;
}

void EnrolmentService::refresh_crl(TimePoint now) {
    // Each intermediate's CRL lists the revoked certificates it signed (RFC 5280 5.1.2.3: the
    // CRL's scope is its issuer's certificates), found by their authorityKeyIdentifier.
    std::map<std::string, std::vector<Revocation>> by_issuer;
    for (const auto& r : store_.revocations()) {
        const auto cert = store_.find_certificate(r.serial_hex);
        if (cert)
            by_issuer[Botan::hex_encode(Botan::X509_Certificate(cert->der).authority_key_id(),
                                        false)]
                .push_back(r);
    }
    // One number for this round: each intermediate's CRL gets a larger one than its last.
    const size_t number = store_.next_crl_number();
    std::map<std::string, Botan::X509_CRL> crls;
    for (const auto& intermediate : issuer_.intermediates()) {
        const std::string id = ca_key_id(intermediate);
        if (auto crl = issuer_.make_crl(id, by_issuer[id], number, now, rng_))
            crls.emplace(id, *crl);
    }
    crls_ = std::move(crls);
}

}  // namespace rca
