#pragma once
// The Store the daemon uses: one SQLite file (house style #4), holding both the core's Store and
// the ACME server's AcmeStore, because ACME names and device names are one namespace. Times are
// kept as integer milliseconds since the Unix epoch, so finer parts of a TimePoint are truncated.
#include <mutex>
#include <string>

#include "acme/acme_store.hpp"
#include "core/store.hpp"
#include "store/sqlite_handle.hpp"

namespace rca {

/// rca::Store and rca::acme::AcmeStore on SQLite. Thread-safe: one connection, used under a mutex.
class SqliteStore final : public Store, public acme::AcmeStore {
  public:
    /// Opens (creating if missing) the store at `path`, or ":memory:", and upgrades its schema to
    /// schema_version(). Throws std::runtime_error if the file's schema is newer than that.
    explicit SqliteStore(const std::string& path);

    /// The newest schema version this binary knows (the number of embedded migrations).
    static int schema_version();

    std::vector<std::string> add_request(const EnrolmentRequest& request,
                                         const RequestLimits& limits, const AuditEvent& received,
                                         const AuditEvent& evicted) override;
    std::optional<EnrolmentRequest> find_request(const std::string& id) override;
    std::vector<EnrolmentRequest> requests_with_status(RequestStatus status) override;
    std::vector<EnrolmentRequest> stored_requests() override;
    std::vector<std::string> block_source(const std::string& source, TimePoint at,
                                          const AuditEvent& event) override;
    bool unblock_source(const std::string& source, const AuditEvent& event) override;
    bool is_blocked(const std::string& source) override;
    std::vector<std::pair<std::string, TimePoint>> blocked_sources() override;
    std::vector<std::string> withdraw_enrolment(const std::string& id, const Bytes& public_key_info,
                                                TimePoint at, const AuditEvent& event) override;
    std::vector<std::string> expire_requests(TimePoint received_by,
                                             const AuditEvent& event) override;
    size_t purge_requests(TimePoint decided_before, size_t keep, const AuditEvent& event) override;
    /// As Store; throws std::invalid_argument for `pending` or `issued`, which this cannot set.
    bool decide_request(const std::string& id, RequestStatus status, TimePoint at,
                        const AuditEvent& event) override;

    /// As Store, and also true for a name an ACME account owns (acme::AcmeStore::claim_name), so
    /// the router never hands a natively paired device a name an ACME client holds.
    bool name_taken(const std::string& name) override;
    bool serial_exists(const std::string& serial_hex) override;

    /// As Store; ignores cert.device_id (the new device's id is used). Also throws, rolling back
    /// everything, if request_id names a request that is missing or already decided (not pending or
    /// overlap).
    int64_t commit_enrolment(const NewDevice& device, const IssuedCert& cert,
                             const std::string& request_id, const AuditEvent& event) override;
    /// As Store; throws, writing nothing, if the device is missing or revoked.
    void commit_renewal(const IssuedCert& cert, std::optional<Ipv4> ipv4,
                        const std::string& key_type, const AuditEvent& event) override;

    /// As Store.
    bool update_device_address(int64_t device_id, Ipv4 address, const AuditEvent& event) override;
    bool flag_possibly_cloned(int64_t device_id, TimePoint at, const AuditEvent& event) override;
    std::vector<Device> devices_at(Ipv4 address) override;
    std::optional<Device> find_device(int64_t id) override;
    std::optional<Device> find_device_by_name(const std::string& name) override;
    std::vector<Device> devices() override;
    bool rename_device(int64_t device_id, const std::string& name,
                       const AuditEvent& event) override;
    bool delete_device(int64_t device_id, TimePoint at, const AuditEvent& event) override;

    std::optional<IssuedCert> find_certificate(const std::string& serial_hex) override;
    std::vector<IssuedCert> certificates_of(int64_t device_id) override;
    std::vector<IssuedCert> newest_certificates(int64_t device_id, size_t count) override;

    /// As Store; throws std::runtime_error if no device has this id.
    std::vector<std::string> revoke_device(int64_t device_id, TimePoint at, RevocationReason reason,
                                           const AuditEvent& event) override;
    bool is_revoked(const std::string& serial_hex) override;
    std::optional<Revocation> revocation_of(const std::string& serial_hex) override;
    std::vector<Revocation> revocations() override;
    size_t next_crl_number() override;
    std::vector<PublicWithdrawal> withdrawals_due() override;
    void mark_withdrawn(int64_t device_id, TimePoint revoked_at) override;

    std::optional<std::string> admin_password_hash() override;
    bool create_admin(const std::string& password_hash, TimePoint at,
                      const AuditEvent& event) override;
    void set_admin_password(const std::string& password_hash, TimePoint at,
                            const AuditEvent& event) override;
    bool replace_admin_password_hash(const std::string& current, const std::string& replacement,
                                     TimePoint at, const AuditEvent& event) override;

    /// Writes a consistent copy of the whole database to `path` (which must not exist), while
    /// other threads and processes keep using it: SQLite's VACUUM INTO, for backups.
    void snapshot_to(const std::string& path);

    void append_audit(const AuditEvent& event) override;
    std::vector<AuditEvent> audit_log(size_t limit) override;

    // --- acme::AcmeStore ----------------------------------------------------------------------
    // Ids that collide (an account, order, authorization or EAB key id used twice) are bugs, not
    // expected errors: those inserts throw, writing nothing.

    bool add_account(const acme::Account& account, const AuditEvent& event) override;
    std::optional<acme::Account> find_account(const std::string& id) override;
    std::optional<acme::Account> find_account_by_thumbprint(const std::string& thumbprint) override;
    std::vector<acme::Account> accounts() override;
    std::vector<acme::Account> unapproved_accounts() override;
    std::vector<std::string> names_of(const std::string& account_id) override;
    std::vector<std::string> withdraw_account_approval(const std::string& account_id, TimePoint at,
                                                       const AuditEvent& event) override;
    std::vector<std::string> make_room_for_account(const std::string& source,
                                                   const RequestLimits& limits,
                                                   const AuditEvent& evicted) override;
    /// As AcmeStore; a non-approving approval leaves approved_at as it was.
    bool set_account_approval(const std::string& id, acme::Approval approval, TimePoint at,
                              const AuditEvent& event) override;
    bool set_account_status(const std::string& id, acme::AccountStatus status,
                            const AuditEvent& event) override;
    bool set_account_contact(const std::string& id,
                             const std::vector<std::string>& contact) override;
    bool change_account_key(const std::string& id, const std::string& jwk_json,
                            const std::string& thumbprint, const AuditEvent& event) override;

    void add_eab_key(const acme::EabKey& key, const AuditEvent& event) override;
    std::optional<acme::EabKey> find_eab_key(const std::string& kid) override;

    /// As AcmeStore. The authorizations keep the order given, which is the order of the
    /// authorization_ids find_order returns. Throws std::invalid_argument when
    /// order.authorization_ids is non-empty and differs from the authorizations' ids, or when an
    /// authorization names another order or account.
    void add_order(const acme::Order& order,
                   const std::vector<acme::Authorization>& authzs) override;
    std::optional<acme::Order> find_order(const std::string& id) override;
    std::vector<acme::Order> orders_of(const std::string& account_id, size_t limit) override;
    /// As AcmeStore; throws std::runtime_error when the order is missing, or when cert_serial
    /// names no stored certificate.
    void update_order(const acme::Order& order) override;
    std::optional<acme::Authorization> find_authorization(const std::string& id) override;
    /// As AcmeStore; throws std::runtime_error when the authorization is missing.
    void update_authorization(const acme::Authorization& authz) override;
    size_t purge_orders(TimePoint before) override;

    std::optional<std::string> name_owner(const std::string& label) override;
    /// As AcmeStore; when the account already owns the name nothing is written (no second event).
    bool claim_name(const std::string& label, const std::string& account_id, TimePoint at,
                    const AuditEvent& event) override;
    /// As AcmeStore. Only an ACME device (source acme) of that name is revoked; its row stays, so
    /// the next owner's commit_acme_issue takes it over.
    std::optional<std::vector<std::string>> release_name(const std::string& label, TimePoint at,
                                                         const AuditEvent& event) override;

    /// As AcmeStore: issue.cert.kind and device_id are ignored; a new device's created_at is the
    /// certificate's issued_at; the address is set to issue.ipv4 (cleared when none, so a name
    /// taken over never keeps the previous device's address). Also throws std::runtime_error,
    /// writing nothing, when the order is missing, belongs to another account or already has a
    /// certificate, or when another account owns the name (a backstop for the server's check).
    int64_t commit_acme_issue(const acme::AcmeIssue& issue, const AuditEvent& event) override;
    std::optional<std::string> certificate_account(const std::string& serial_hex) override;
    bool revoke_certificate(const std::string& serial_hex, TimePoint at, RevocationReason reason,
                            const AuditEvent& event) override;

  private:
    std::mutex mutex_;  // guards db_: a connection is one sequence of statements at a time
    sqlite::Connection db_;
};

}  // namespace rca
