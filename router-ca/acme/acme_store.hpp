#pragma once
// The persistence the ACME server needs, declared beside it (house style #4) and implemented by
// store/sqlite_store.* in the same database as the devices, because ACME names and native device
// names are one namespace and an ACME issuance creates or updates a device.
//
// Every method is one transaction. Implementations are thread-safe.
#include <optional>
#include <string>
#include <vector>

#include "acme/acme_types.hpp"
#include "core/request_limits.hpp"

namespace rca::acme {

/// A certificate the ACME server issues for an order, as one atomic step.
struct AcmeIssue {
    std::string order_id;
    std::string account_id;
    std::string label;         ///< the device name
    std::optional<Ipv4> ipv4;  ///< the address it was validated at, when a LAN address
    std::string key_type;      ///< "p256", ...
    IssuedCert cert;           ///< device_id ignored: the store decides it
};

class AcmeStore {
  public:
    virtual ~AcmeStore() = default;

    // --- accounts -------------------------------------------------------------------------
    /// Inserts the account and appends the event. When account.eab_kid is non-empty, also binds
    /// that EAB key to the account in the same transaction. Returns false (and changes nothing)
    /// when another account has the same thumbprint, or the EAB key is missing or already bound.
    virtual bool add_account(const Account& account, const AuditEvent& event) = 0;
    virtual std::optional<Account> find_account(const std::string& id) = 0;
    virtual std::optional<Account> find_account_by_thumbprint(const std::string& thumbprint) = 0;
    /// Every account, oldest first.
    virtual std::vector<Account> accounts() = 0;
    /// Takes back a pairing approval (an overlap after it): the account is set to overlap (the
    /// admin decides), every name it owns is released and those devices' certificates revoked,
    /// and the event appended, atomically. Returns the serials revoked; empty (and nothing
    /// changed) when the account is missing.
    virtual std::vector<std::string> withdraw_account_approval(const std::string& account_id,
                                                               TimePoint at,
                                                               const AuditEvent& event) = 0;
    /// The accounts not yet approved (waiting or overlap), oldest first: few (make_room).
    virtual std::vector<Account> unapproved_accounts() = 0;
    /// Deletes the oldest unapproved accounts of `source`, then of all sources, so that one more
    /// fits within limits.per_source and limits.total, each with an audit event like `evicted`
    /// whose subject is the account's id. An unapproved account has no orders, names or EAB key
    /// (it cannot order), so nothing else goes with it. Returns the ids deleted, oldest first.
    virtual std::vector<std::string> make_room_for_account(const std::string& source,
                                                           const RequestLimits& limits,
                                                           const AuditEvent& evicted) = 0;
    /// Sets the approval (and approved_at = at when it is an approving one) and appends the
    /// event. Returns false when the account is missing.
    virtual bool set_account_approval(const std::string& id, Approval approval, TimePoint at,
                                      const AuditEvent& event) = 0;
    /// Sets the status (deactivation, RFC 8555 section 7.3.6) and appends the event. False when
    /// missing.
    virtual bool set_account_status(const std::string& id, AccountStatus status,
                                    const AuditEvent& event) = 0;
    /// Replaces the contact list. False when missing.
    virtual bool set_account_contact(const std::string& id,
                                     const std::vector<std::string>& contact) = 0;
    /// Replaces the account key (key-change, RFC 8555 section 7.3.5) and appends the event.
    /// False (nothing changed) when the account is missing or another account has the thumbprint.
    virtual bool change_account_key(const std::string& id, const std::string& jwk_json,
                                    const std::string& thumbprint, const AuditEvent& event) = 0;

    // --- External Account Binding keys -----------------------------------------------------
    virtual void add_eab_key(const EabKey& key, const AuditEvent& event) = 0;
    virtual std::optional<EabKey> find_eab_key(const std::string& kid) = 0;

    // --- orders and authorizations ---------------------------------------------------------
    /// Inserts an order with its authorizations.
    virtual void add_order(const Order& order, const std::vector<Authorization>& authzs) = 0;
    virtual std::optional<Order> find_order(const std::string& id) = 0;
    /// The account's orders, newest first, at most limit.
    virtual std::vector<Order> orders_of(const std::string& account_id, size_t limit) = 0;
    /// Writes status, error, cert_serial of an existing order.
    virtual void update_order(const Order& order) = 0;
    virtual std::optional<Authorization> find_authorization(const std::string& id) = 0;
    /// Writes status, attempted, validated_at, validated_address, error of an existing one.
    virtual void update_authorization(const Authorization& authz) = 0;
    /// Deletes orders (and their authorizations) that expired before `before` and never became
    /// valid; returns how many. Valid orders stay: they link a certificate to its account.
    virtual size_t purge_orders(TimePoint before) = 0;

    // --- names ------------------------------------------------------------------------------
    /// The account that owns the name ("the first account to validate a name owns it").
    virtual std::optional<std::string> name_owner(const std::string& label) = 0;
    /// The labels account_id owns, in claim order.
    virtual std::vector<std::string> names_of(const std::string& account_id) = 0;
    /// Makes account the owner of label and appends the event, unless another account owns it,
    /// a device that is not an ACME device holds the name, or the account was approved by the
    /// pairing button and holds a name already (then false, nothing changed): checked in one
    /// transaction with the claim, so a native enrolment racing an ACME validation for the same
    /// name, or two validations of one account, cannot end with both. True also when account
    /// already owns it.
    virtual bool claim_name(const std::string& label, const std::string& account_id, TimePoint at,
                            const AuditEvent& event) = 0;
    /// The admin releases a name: its owner is forgotten, and the device holding it (if any) has
    /// every certificate revoked, as revoke_device does; appends the event. Returns the serials
    /// revoked; nullopt when no account owns the name.
    virtual std::optional<std::vector<std::string>> release_name(const std::string& label,
                                                                 TimePoint at,
                                                                 const AuditEvent& event) = 0;

    // --- issuance and revocation -------------------------------------------------------------
    /// In one transaction: creates the device `label` (source acme) or, when an ACME device of
    /// that name exists (kept after a release, or the owner's earlier certificate), takes it
    /// over, clearing revoked_at and deleted_at and setting address and key type; stores the
    /// certificate (kind enrolment for a new device, renewal otherwise); marks the order valid
    /// with the serial; appends the event. Returns the device id. Throws (writing nothing) when
    /// the account does not hold the name (claim_name), a native or router device holds it, or
    /// the serial exists.
    virtual int64_t commit_acme_issue(const AcmeIssue& issue, const AuditEvent& event) = 0;
    /// The account whose order produced this certificate, if it came from ACME.
    virtual std::optional<std::string> certificate_account(const std::string& serial_hex) = 0;
    /// Revokes one certificate at `at` (RFC 8555 section 7.6) and appends the event; the device
    /// itself is not marked revoked. False when missing or already revoked.
    virtual bool revoke_certificate(const std::string& serial_hex, TimePoint at,
                                    const AuditEvent& event) = 0;
};

}  // namespace rca::acme
