#pragma once
// The persistence the core needs, declared by the core (house style #4). The SQLite implementation
// lives in store/sqlite_store.*; tests may use it with ":memory:".
//
// Every method is one transaction. Implementations are thread-safe.
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/request_limits.hpp"
#include "core/types.hpp"

namespace rca {

/// Thrown by a commit when a name the caller found free was claimed meanwhile: an ACME validation
/// claims names without the enrolment service's lock (acme/acme_orders.cpp). Nothing was stored;
/// the caller may choose another name.
struct NameClaimedMeanwhile : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A device about to be created by an enrolment (its id is assigned by the store).
struct NewDevice {
    std::string name;
    std::optional<Ipv4> ipv4;
    std::string key_type;
    DeviceSource source = DeviceSource::native;
    TimePoint created_at{};
};

/// The audit log is a ring of this many events (about 150 octets each, so some 600 KiB of flash):
/// years of a home's pairings and renewals, and a bound on what a flood of requests can write.
inline constexpr size_t kAuditLogKept = 4096;

class Store {
  public:
    virtual ~Store() = default;

    /// Inserts a new pending request and appends `received`, atomically. To stay within `limits`,
    /// the oldest undecided requests of the same source, then of all sources, are first expired
    /// (a real device is the newest asker at a press, docs/design.md), each with an audit event
    /// like `evicted` whose subject is the request's id; when any were, the decided requests
    /// beyond the newest limits.decided_max are deleted (issued ones are not counted: they stay
    /// their day). Returns the ids expired, oldest first.
    virtual std::vector<std::string> add_request(const EnrolmentRequest& request,
                                                 const RequestLimits& limits,
                                                 const AuditEvent& received,
                                                 const AuditEvent& evicted) = 0;
    /// The request with this id, if any.
    virtual std::optional<EnrolmentRequest> find_request(const std::string& id) = 0;
    /// All requests in this status, oldest first (undecided ones are few: RequestLimits).
    virtual std::vector<EnrolmentRequest> requests_with_status(RequestStatus status) = 0;
    /// Expires every undecided request received at or before `received_by`, each with an audit
    /// event like `event` whose subject is the request's id; returns their ids, oldest first.
    virtual std::vector<std::string> expire_requests(TimePoint received_by,
                                                     const AuditEvent& event) = 0;
    /// Deletes the decided requests decided before `decided_before` and those beyond the newest
    /// `keep` decided ones (issued ones not counted), and appends `event` with the count in its
    /// detail when any went. Returns how many were deleted.
    virtual size_t purge_requests(TimePoint decided_before, size_t keep,
                                  const AuditEvent& event) = 0;
    /// Moves an undecided request (pending, or overlap: waiting for the admin) to
    /// denied/overlap/expired and appends the audit event, atomically. Returns false (and changes
    /// nothing) when the request is already decided (issued, denied, expired).
    virtual bool decide_request(const std::string& id, RequestStatus status, TimePoint at,
                                const AuditEvent& event) = 0;

    /// Takes back what an approval gave (a pairing overlap after it, PairingVerdict::withdraw):
    /// revokes every certificate of the device request `id` made (reason privilegeWithdrawn,
    /// RFC 5280 5.3.1), deletes the device and frees
    /// its name (its row stays, renamed "<name>#<id>", so that the CRL keeps its serials), and
    /// moves the request to overlap with `public_key_info` back, so that the admin may still
    /// approve it; appends the event; atomically. Returns the serials revoked; empty (and
    /// nothing changed) when the request is not issued.
    virtual std::vector<std::string> withdraw_enrolment(const std::string& id,
                                                        const Bytes& public_key_info, TimePoint at,
                                                        const AuditEvent& event) = 0;

    /// Every request the store holds, oldest first (RequestLimits bounds them).
    virtual std::vector<EnrolmentRequest> stored_requests() = 0;
    /// Blocks `source` from asking to pair: its undecided requests are denied (their ids
    /// returned), and `event` appended, atomically. Blocking a blocked address changes nothing
    /// but its undecided requests.
    virtual std::vector<std::string> block_source(const std::string& source, TimePoint at,
                                                  const AuditEvent& event) = 0;
    /// Lifts a block and appends the event; false (nothing changed) when it was not blocked.
    virtual bool unblock_source(const std::string& source, const AuditEvent& event) = 0;
    /// True when `source` is blocked.
    virtual bool is_blocked(const std::string& source) = 0;
    /// The blocked addresses and when, by address.
    virtual std::vector<std::pair<std::string, TimePoint>> blocked_sources() = 0;

    /// True when a device (revoked or not) already holds this name.
    virtual bool name_taken(const std::string& name) = 0;
    /// True when any certificate with this serial exists.
    virtual bool serial_exists(const std::string& serial_hex) = 0;

    /// Creates the device, stores its certificate, marks the undecided request issued (when
    /// request_id is non-empty) and appends the audit event, all in one transaction. Returns the
    /// device id. Throws if the name or serial is already taken (callers check first; this is the
    /// backstop).
    virtual int64_t commit_enrolment(const NewDevice& device, const IssuedCert& cert,
                                     const std::string& request_id, const AuditEvent& event) = 0;
    /// Stores a renewed certificate for an existing device (cert.device_id), updates its address
    /// and key type, and appends the audit event, in one transaction.
    virtual void commit_renewal(const IssuedCert& cert, std::optional<Ipv4> ipv4,
                                const std::string& key_type, const AuditEvent& event) = 0;

    /// Sets an unrevoked device's LAN address and appends the audit event, atomically. Returns
    /// false (and changes nothing) when the device is missing or revoked.
    virtual bool update_device_address(int64_t device_id, Ipv4 address,
                                       const AuditEvent& event) = 0;

    /// Marks the device possibly cloned at `at` and appends the audit event, atomically. Returns
    /// false (and changes nothing) when the device is missing.
    virtual bool flag_possibly_cloned(int64_t device_id, TimePoint at, const AuditEvent& event) = 0;
    /// The unrevoked, undeleted devices whose current address is `address`.
    virtual std::vector<Device> devices_at(Ipv4 address) = 0;

    /// The device with this id / name, if any.
    virtual std::optional<Device> find_device(int64_t id) = 0;
    virtual std::optional<Device> find_device_by_name(const std::string& name) = 0;
    /// Every device not deleted, by name.
    virtual std::vector<Device> devices() = 0;
    /// Gives the device a new name and appends the audit event, atomically. Returns false (and
    /// changes nothing) when the device is missing or deleted, or another device holds the name.
    virtual bool rename_device(int64_t device_id, const std::string& name,
                               const AuditEvent& event) = 0;
    /// Removes a revoked device from devices() and appends the audit event, atomically. Its row,
    /// certificates and revocations stay (the CRL keeps them; the name stays taken). Returns
    /// false when the device is missing, not revoked or already deleted.
    virtual bool delete_device(int64_t device_id, TimePoint at, const AuditEvent& event) = 0;

    /// The certificate with this serial, if any.
    virtual std::optional<IssuedCert> find_certificate(const std::string& serial_hex) = 0;
    /// A device's certificates, newest first.
    virtual std::vector<IssuedCert> certificates_of(int64_t device_id) = 0;
    /// A device's newest `count` certificates, newest first: what a renewal checks, whatever the
    /// length of the device's history.
    virtual std::vector<IssuedCert> newest_certificates(int64_t device_id, size_t count) = 0;

    /// Marks the device revoked and every one of its certificates not yet revoked revoked at `at`
    /// for `reason`, and appends the audit event, atomically. Returns the serials revoked (empty
    /// if the device was already revoked).
    virtual std::vector<std::string> revoke_device(int64_t device_id, TimePoint at,
                                                   RevocationReason reason,
                                                   const AuditEvent& event) = 0;
    /// True when this serial has been revoked.
    virtual bool is_revoked(const std::string& serial_hex) = 0;
    /// The revocation of this serial, if it was revoked.
    virtual std::optional<Revocation> revocation_of(const std::string& serial_hex) = 0;
    /// Every revocation, for the CRL.
    virtual std::vector<Revocation> revocations() = 0;
    /// Revoked devices, deleted ones too (named by the label they had), whose names the router
    /// has not withdrawn at HQ since their revocation (mark_withdrawn), oldest revocation first.
    virtual std::vector<PublicWithdrawal> withdrawals_due() = 0;
    /// Records that HQ withdrew the name of the device for its revocation at `revoked_at`; a
    /// later revocation (an ACME device taken over and revoked again) is due again.
    virtual void mark_withdrawn(int64_t device_id, TimePoint revoked_at) = 0;
    /// The number for the next round of CRLs: one more than the last one it returned, which it
    /// keeps, so that CRL numbers grow across restarts too (RFC 5280 5.2.3).
    virtual size_t next_crl_number() = 0;

    /// The admin's password hash (Argon2id), if the admin account exists.
    virtual std::optional<std::string> admin_password_hash() = 0;
    /// Creates the admin account and appends the audit event, atomically. Returns false (and
    /// changes nothing) when it already exists: first-run setup happens once.
    virtual bool create_admin(const std::string& password_hash, TimePoint at,
                              const AuditEvent& event) = 0;
    /// Sets the admin's password hash, creating the account if missing, and appends the event.
    virtual void set_admin_password(const std::string& password_hash, TimePoint at,
                                    const AuditEvent& event) = 0;
    /// Replaces the admin's password hash with `replacement` and appends the event, atomically,
    /// only while the stored hash is still `current`; false (nothing changed) otherwise, so that
    /// re-hashing an old hash never undoes a password set meanwhile (`router-ca passwd`).
    virtual bool replace_admin_password_hash(const std::string& current,
                                             const std::string& replacement, TimePoint at,
                                             const AuditEvent& event) = 0;

    /// Appends an event to the audit log, which keeps the newest kAuditLogKept events.
    virtual void append_audit(const AuditEvent& event) = 0;
    /// The newest `limit` events, newest first.
    virtual std::vector<AuditEvent> audit_log(size_t limit) = 0;
};

}  // namespace rca
