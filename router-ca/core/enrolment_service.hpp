#pragma once
// The enrolment use cases, wiring the pure pieces (CSR policy, name assignment, pairing window and
// its plan, issuer) to the store. No sockets or files here; the HTTP API and the control socket
// call in. Thread-safe: one mutex serialises decisions, so two requests never race for a name or
// serial. What a decision asks of the world beyond the store (core/enrolment_effects.hpp) runs
// after that mutex is released: the listeners below may call back into the service.
#include <botan/bigint.h>
#include <botan/rng.h>
#include <botan/x509_crl.h>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/device_address.hpp"
#include "core/enrolment_effects.hpp"
#include "core/issuer.hpp"
#include "core/leaf_issuance.hpp"
#include "core/name_assigner.hpp"
#include "core/pairing_window.hpp"
#include "core/recent_evictions.hpp"
#include "core/result.hpp"
#include "core/store.hpp"
#include "core/suspicious_sources.hpp"
#include "core/time_source.hpp"
#include "wire/enrolment_wire.hpp"

namespace rca {

/// A device's enrolment request as it arrives from the network.
struct Submission {
    std::string csr_pem;
    std::string name_hint;
    /// The address the device states ("" when not stated): only checked against `source`, since
    /// the certificate's address is the source's (core/device_address.hpp).
    std::string stated_ipv4;
    std::optional<Ipv4> source;  ///< the TCP peer address
    std::string peer;  ///< the TCP peer address as text (IPv4 or IPv6): caps count per peer
};

/// Someone other than a device request who takes part in pairing windows: ACME accounts. One
/// button press approves one newcomer, whichever way it asks, and a device and an account asking
/// in the same window are an overlap like two devices.
struct PairingParticipant {
    /// Its undecided candidates, for a window opened after they asked (the lookback).
    std::function<std::vector<PairingCandidate>()> undecided;
    /// Applies a decision about one of its candidates to its store. Runs with the service's lock
    /// held, so that the decision and the window stay in step: it may not call back.
    std::function<void(const PairingDecision&)> decide;
    /// Runs after the service's lock is released, once after any call that decided about one of
    /// its candidates (to wake the clients waiting for the decision). May call back.
    std::function<void()> decided;
};

class EnrolmentService {
  public:
    /// A service over store, issuing with issuer, deciding with rules, reading time from clock.
    EnrolmentService(Store& store, const Issuer& issuer, PairingRules rules,
                     const TimeSource& clock, Botan::RandomNumberGenerator& rng,
                     RequestLimits limits = {});

    /// Records a request (status pending) and lets the pairing window decide; the answer carries
    /// the poll token, and is already "issued" when the window approved at once. The store keeps
    /// within the limits by expiring the oldest undecided requests (RequestLimits).
    Result<wire::EnrolmentStatus> submit(const Submission& submission);
    /// The request's state for its holder of `token`.
    Result<wire::EnrolmentStatus> poll(const std::string& id, const std::string& token);
    /// Renews for the holder of client_cert_der (the TLS peer's certificate): it must be the
    /// device's newest certificate, unrevoked and unexpired, and the CSR must carry a new key.
    /// The certificate the newest replaced may only retry a renewal whose answer was lost (the
    /// CSR carries the newest one's key) and gets the newest certificate again; anything else
    /// from it is refused (forbidden) and flags the device as possibly cloned.
    Result<wire::EnrolmentStatus> renew(const Bytes& client_cert_der, const std::string& csr_pem,
                                        std::optional<Ipv4> source);

    /// Sets the device's LAN address to the TCP source for the holder of client_cert_der (its
    /// newest certificate, as for renew); `stated_ipv4` may only repeat the source. The source
    /// must lie inside a LAN subnet and be neither the router's nor another device's address.
    Result<Done> update_address(const Bytes& client_cert_der, const std::string& stated_ipv4,
                                std::optional<Ipv4> source);

    /// The device proven by client_cert_der (the TLS peer's certificate), checked as for
    /// update_address: for requests a device makes on its own behalf elsewhere (its public
    /// certificate).
    Result<Device> identify(const Bytes& client_cert_der);

    /// The router's own addresses (every interface's, the listen address, --router-address): a
    /// device's certificate never names one. Data from the daemon; the core looks nothing up.
    void set_router_addresses(std::vector<Ipv4> addresses);
    /// The address a certificate for the device named `name` (existing or not) may carry when
    /// the device was reached at `candidate`: for the ACME server, which validates and issues
    /// itself. As for enrolments and renewals (core/device_address.hpp); a withheld address is
    /// written to the audit log and passed to the warning listener.
    std::optional<Ipv4> certificate_address(const std::string& name, std::optional<Ipv4> candidate);
    /// As certificate_address, then runs `use` with that address under the service's lock, so
    /// that no enrolment, renewal or address update (each under the same lock) takes the address
    /// between the check and what `use` commits. `use` must not call back into the service.
    void with_certificate_address(const std::string& name, std::optional<Ipv4> candidate,
                                  const std::function<void(std::optional<Ipv4>)>& use);
    /// Calls `listener` with each audit event the router's operator should also see in the
    /// daemon's log: an address withheld from a certificate, a device possibly cloned. Runs after
    /// the service's lock is released.
    void set_warning_listener(std::function<void(const AuditEvent&)> listener);

    /// Calls `listener` after every change to the set of devices, their names or addresses
    /// (issue, renewal, address update, revocation), so that the DNS zone and mDNS follow.
    /// The listener runs after the service's lock is released, once per call that changed them.
    void set_change_listener(std::function<void()> listener);

    /// Calls `listener` with the participants of a window that ended in an overlap (device
    /// requests and ACME accounts), for the admin's alert. Runs after the service's lock is
    /// released.
    void set_overlap_listener(std::function<void(const std::vector<ParticipantId>&)> listener);

    /// Lets ACME accounts take part in pairing windows: `participant` lists and decides the
    /// candidates of kind ParticipantKind::acme_account.
    void set_pairing_participant(PairingParticipant participant);
    /// A participant's candidate asks to pair now. Returns false when no window is accepting
    /// (it stays undecided); else the window decides now or at a later tick().
    bool offer_to_pairing(const PairingCandidate& candidate);

    /// Another issuer of this CA (the ACME server) changed devices in the store: the change
    /// listener runs, and when certificates were revoked the CRL is re-signed at once.
    void note_devices_changed(bool revoked);

    /// Opens the pairing window for `duration` (the button press).
    PairingSnapshot open_pairing(std::chrono::seconds duration);
    /// The admin approves a pending or overlapping request: it is signed now.
    Result<wire::EnrolmentStatus> approve(const std::string& request_id);
    /// The admin denies a pending or overlapping request.
    Result<Done> deny(const std::string& request_id);
    /// The admin blocks an address (IPv4 or IPv6, as text) from asking to pair: its undecided
    /// requests are denied (their ids returned) and its new requests refused.
    Result<std::vector<std::string>> block(const std::string& source);
    /// The admin lifts a block.
    Result<Done> unblock(const std::string& source);
    /// Sources that keep asking without being approved (core/suspicious_sources.hpp).
    std::vector<SuspiciousSource> suspicious_sources();

    /// Revokes every certificate of the named device for `reason` (the CRL entries carry it);
    /// returns the serials revoked.
    Result<std::vector<std::string>> revoke(const std::string& name, RevocationReason reason);

    /// Gives the named device a new name (one lowercase LDH label, not taken, not "router"). The
    /// home zone and mDNS follow at once; the certificate carries the new name from the device's
    /// next renewal. Returns the new fully qualified name.
    Result<std::string> rename(const std::string& name, const std::string& new_name);
    /// Removes the named device from the list, revoking its certificates first if need be. The
    /// revocations stay in the CRL and the name stays taken (see the store's delete_device).
    Result<Done> remove(const std::string& name);

    /// Issues (or re-issues) the router's own TLS certificate for router.<domain> and addresses.
    Botan::X509_Certificate issue_router_certificate(const std::vector<uint8_t>& public_key_info,
                                                     const std::vector<Ipv4>& addresses);

    /// Applies what time decides: guard elapsed, window ended, requests expired, decided requests
    /// purged (once a minute), CRL aging.
    void tick();
    /// When tick() next has something to do (at the latest a second from now).
    TimePoint next_deadline();

    /// The pairing window's state.
    PairingSnapshot pairing();
    /// The CRL served at the plain CRL URL (/crl), DER: the one of the oldest intermediate held,
    /// which signed every leaf issued before leaves named their own issuer's CRL.
    Bytes crl_der();
    /// The CRL signed by the intermediate with key id `intermediate_id`, DER; nullopt when the
    /// issuer holds no such intermediate.
    std::optional<Bytes> crl_der(const std::string& intermediate_id);

  private:
    /// A device proven by its TLS client certificate.
    struct AuthenticatedDevice {
        Device device;
        std::string serial;
        Botan::X509_Certificate presented;
        std::vector<IssuedCert> history;  ///< the device's newest two certificates, newest first
        /// The presented certificate is history[0]; else it was replaced, and only history[1]
        /// may retry a renewal whose answer was lost.
        bool newest = true;
    };
    Result<AuthenticatedDevice> authenticate(const Bytes& client_cert_der, TimePoint now);
    Error refuse_replaced(const AuthenticatedDevice& who, const std::string& asked, TimePoint now);
    AddressVerdict judge_address(std::optional<Ipv4> candidate, int64_t device_id);
    std::optional<Ipv4> vetted_address(std::optional<Ipv4> candidate, int64_t device_id,
                                       const std::string& subject, TimePoint now);
    void warn(const AuditEvent& event);
    void notify_changed();
    void apply(const std::vector<PairingDecision>& decisions);
    /// Runs `decide` under the service's lock, then the effects it collected (effects_) after
    /// releasing it; returns what `decide` returns.
    template <typename Decide>
    auto locked(Decide&& decide) -> decltype(decide()) {
        Effects effects;
        if constexpr (std::is_void_v<decltype(decide())>) {
            {
                const std::lock_guard<std::mutex> lock(mutex_);
                decide();
                effects = std::exchange(effects_, {});
            }
            run(effects);
        } else {
            auto result = [&] {
                const std::lock_guard<std::mutex> lock(mutex_);
                auto r = decide();
                effects = std::exchange(effects_, {});
                return r;
            }();
            run(effects);
            return result;
        }
    }
    /// Runs effects through the listeners (without the service's lock).
    void run(const Effects& effects);
    void withdraw_approval(const std::string& request_id, TimePoint now);
    Result<wire::EnrolmentStatus> issue_for(const EnrolmentRequest& request);
    wire::EnrolmentStatus renewal_answer(const Device& device,
                                         const Botan::X509_Certificate& leaf) const;
    wire::EnrolmentStatus view_of(const EnrolmentRequest& request) const;
    void refresh_crl(TimePoint now);
    bool crls_stale(TimePoint now) const;

    Store& store_;
    const Issuer& issuer_;
    LeafIssuance issuance_;
    PairingWindow window_;
    RequestLimits limits_;
    RecentEvictions evictions_;
    TimePoint next_purge_{};  ///< when tick() next purges decided requests
    const TimeSource& clock_;
    Botan::RandomNumberGenerator& rng_;
    std::mutex mutex_;
    std::map<std::string, Botan::X509_CRL> crls_;  ///< by intermediate key id
    std::vector<Ipv4> router_addresses_;
    std::optional<PairingParticipant> participant_;
    Effects effects_;  ///< what the decision under way asks for; guarded by mutex_

    /// Where effects go; read without mutex_, so that run() never needs it.
    struct Sinks {
        std::function<void()> changed;
        std::function<void(const std::vector<ParticipantId>&)> overlap;
        std::function<void(const AuditEvent&)> warning;
        std::function<void()> accounts_decided;
    };
    std::mutex sinks_mutex_;
    Sinks sinks_;  ///< guarded by sinks_mutex_
};

}  // namespace rca
