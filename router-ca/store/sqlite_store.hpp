#pragma once
// The Store the daemon uses: one SQLite file (house style #4). Times are kept as integer
// milliseconds since the Unix epoch, so finer parts of a TimePoint are truncated.
#include <mutex>
#include <string>

#include "core/store.hpp"
#include "store/sqlite_handle.hpp"

namespace rca {

/// rca::Store on SQLite. Thread-safe: one connection, used under a mutex.
class SqliteStore final : public Store {
  public:
    /// Opens (creating if missing) the store at `path`, or ":memory:", and upgrades its schema to
    /// schema_version(). Throws std::runtime_error if the file's schema is newer than that.
    explicit SqliteStore(const std::string& path);

    /// The newest schema version this binary knows (the number of embedded migrations).
    static int schema_version();

    void add_request(const EnrolmentRequest& request) override;
    std::optional<EnrolmentRequest> find_request(const std::string& id) override;
    std::vector<EnrolmentRequest> requests_with_status(RequestStatus status) override;
    /// As Store; throws std::invalid_argument for `pending` or `issued`, which this cannot set.
    bool decide_request(const std::string& id, RequestStatus status, TimePoint at,
                        const AuditEvent& event) override;

    bool name_taken(const std::string& name) override;
    bool serial_exists(const std::string& serial_hex) override;

    /// As Store; ignores cert.device_id (the new device's id is used). Also throws, rolling back
    /// everything, if request_id names a request that is missing or already decided (not pending or overlap).
    int64_t commit_enrolment(const NewDevice& device, const IssuedCert& cert,
                             const std::string& request_id, const AuditEvent& event) override;
    /// As Store; throws, writing nothing, if the device is missing or revoked.
    void commit_renewal(const IssuedCert& cert, std::optional<Ipv4> ipv4,
                        const std::string& key_type, const AuditEvent& event) override;

    /// As Store.
    bool update_device_address(int64_t device_id, Ipv4 address, const AuditEvent& event) override;
    std::optional<Device> find_device(int64_t id) override;
    std::optional<Device> find_device_by_name(const std::string& name) override;
    std::vector<Device> devices() override;
    bool rename_device(int64_t device_id, const std::string& name,
                       const AuditEvent& event) override;
    bool delete_device(int64_t device_id, TimePoint at, const AuditEvent& event) override;

    std::optional<IssuedCert> find_certificate(const std::string& serial_hex) override;
    std::vector<IssuedCert> certificates_of(int64_t device_id) override;

    /// As Store; throws std::runtime_error if no device has this id.
    std::vector<std::string> revoke_device(int64_t device_id, TimePoint at,
                                           const AuditEvent& event) override;
    bool is_revoked(const std::string& serial_hex) override;
    std::vector<Revocation> revocations() override;

    std::optional<std::string> admin_password_hash() override;
    bool create_admin(const std::string& password_hash, TimePoint at,
                      const AuditEvent& event) override;
    void set_admin_password(const std::string& password_hash, TimePoint at,
                            const AuditEvent& event) override;

    /// Writes a consistent copy of the whole database to `path` (which must not exist), while
    /// other threads and processes keep using it: SQLite's VACUUM INTO, for backups.
    void snapshot_to(const std::string& path);

    void append_audit(const AuditEvent& event) override;
    std::vector<AuditEvent> audit_log(size_t limit) override;

  private:
    std::mutex mutex_;  // guards db_: a connection is one sequence of statements at a time
    sqlite::Connection db_;
};

}  // namespace rca
