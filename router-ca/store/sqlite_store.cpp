#include "store/sqlite_store.hpp"

#include <cstdint>
#include <stdexcept>

#include "store/connection_settings.hpp"
#include "store/migrations.hpp"
#include "store/table_access.hpp"

namespace rca {
namespace {

using namespace table_access;
using Lock = std::lock_guard<std::mutex>;
// The lookups of every poll and renewal (a request, its device, a certificate, a device's
// certificates) keep their prepared statements (sqlite::Reuse::keep): preparing one cost as much
// CPU as running it, and a device polls every second while it waits.

// --- enrolment_requests ---

const char* const kRequestColumns =
    "id, token_hash, public_key, key_id, key_type, name_hint, ipv4, status, received_at, "
    "decided_at, device_id, cert_serial, source";

EnrolmentRequest request_from_row(const sqlite::Statement& row) {
    EnrolmentRequest r;
    r.id = row.text(0);
    r.token_hash = row.blob(1);
    r.public_key_info = row.blob(2);
    r.key_id = row.text(3);
    r.key_type = row.text(4);
    r.name_hint = row.text(5);
    r.ipv4 = optional_ipv4(row, 6);
    const std::string status = row.text(7);
    const auto parsed = request_status_from(status);
    if (!parsed) corrupt("request status", status);
    r.status = *parsed;
    r.received_at = from_millis(row.int64(8));
    r.decided_at = optional_time(row, 9);
    if (!row.is_null(10)) r.device_id = row.int64(10);
    if (!row.is_null(11)) r.cert_serial = row.text(11);
    r.source = row.text(12);
    return r;
}

// Expires the request `id` (still undecided) at `at`, dropping its key, with `event` about it.
void expire_request_row(sqlite::Connection& db, const std::string& id, TimePoint at,
                        AuditEvent event) {
    sqlite::Statement update(db,
                             std::string("UPDATE enrolment_requests SET status = 'expired',"
                                         " decided_at = ?, public_key = x'' WHERE id = ? AND ") +
                                 kUndecided);
    update.bind(1, to_millis(at)).bind(2, id);
    update.run();
    event.subject = id;
    insert_audit(db, event);
}

// Deletes the decided requests beyond the newest `keep`; returns how many. Decided requests are
// kept few (add_request calls this whenever it expires some), so the OFFSET scan stays short.
// Issued requests are not counted and stay their day: each is the owner's decision (a press or
// an approval), so a flood cannot add them, and a flood must not delete the one an open window
// watches, which it would take back (withdraw_enrolment) when another device asks.
size_t delete_decided_beyond(sqlite::Connection& db, size_t keep) {
    sqlite::Statement purge(db, std::string("DELETE FROM enrolment_requests WHERE id IN (SELECT id"
                                            " FROM enrolment_requests WHERE NOT ") +
                                    kUndecided +
                                    " AND status <> 'issued'"
                                    " ORDER BY decided_at DESC, rowid DESC LIMIT -1 OFFSET ?)");
    purge.bind(1, sql_limit(keep));
    purge.run();
    return static_cast<size_t>(db.changes());
}

// --- devices ---

const char* const kDeviceColumns =
    "id, name, ipv4, key_type, source, created_at, revoked_at, possibly_cloned_at";

Device device_from_row(const sqlite::Statement& row) {
    Device d;
    d.id = row.int64(0);
    d.name = row.text(1);
    d.ipv4 = optional_ipv4(row, 2);
    d.key_type = row.text(3);
    const std::string source = row.text(4);
    const auto parsed = device_source_from(source);
    if (!parsed) corrupt("device source", source);
    d.source = *parsed;
    d.created_at = from_millis(row.int64(5));
    d.revoked_at = optional_time(row, 6);
    d.possibly_cloned_at = optional_time(row, 7);
    return d;
}

std::optional<Device> one_device(sqlite::Statement& query) {
    if (!query.step()) return std::nullopt;
    return device_from_row(query);
}

// --- certificates ---

const char* const kCertificateColumns =
    "serial, device_id, der, not_before, not_after, issued_at, kind";

IssuedCert certificate_from_row(const sqlite::Statement& row) {
    IssuedCert c;
    c.serial_hex = row.text(0);
    c.device_id = row.int64(1);
    c.der = row.blob(2);
    c.not_before = from_millis(row.int64(3));
    c.not_after = from_millis(row.int64(4));
    c.issued_at = from_millis(row.int64(5));
    const std::string kind = row.text(6);
    const auto parsed = issue_kind_from(kind);
    if (!parsed) corrupt("certificate kind", kind);
    c.kind = *parsed;
    return c;
}

sqlite::Connection open_and_migrate(const std::string& path) {
    sqlite::Connection db(path);
    apply_store_settings(db);
    schema::migrate(db, schema::latest_version());
    return db;
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path) : db_(open_and_migrate(path)) {}

int SqliteStore::schema_version() { return schema::latest_version(); }

std::vector<std::string> SqliteStore::add_request(const EnrolmentRequest& request,
                                                  const RequestLimits& limits,
                                                  const AuditEvent& received,
                                                  const AuditEvent& evicted) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    // Room for the new request first: within its source's share, then within the total. Both
    // scans read at most the caps' worth of rows, so a request costs O(1) whatever came before.
    const auto expired = make_room(
        db_, {"enrolment_requests", kUndecided, "received_at"}, request.source, limits,
        [&](const std::string& id) { expire_request_row(db_, id, received.at, evicted); });
    // A flood expires requests as fast as it sends them: the decided ones beyond the newest
    // decided_max go at once rather than at the next purge (which takes the old ones).
    if (!expired.empty()) delete_decided_beyond(db_, limits.decided_max);
    sqlite::Statement insert(db_, std::string("INSERT INTO enrolment_requests (") +
                                      kRequestColumns +
                                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, request.id)
        .bind(2, request.token_hash)
        .bind(3, request.public_key_info)
        .bind(4, request.key_id)
        .bind(5, request.key_type)
        .bind(6, request.name_hint);
    bind_optional_ipv4(insert, 7, request.ipv4);
    insert.bind(8, std::string(to_string(request.status)));
    insert.bind(9, to_millis(request.received_at));
    bind_optional_time(insert, 10, request.decided_at);
    if (request.device_id)
        insert.bind(11, *request.device_id);
    else
        insert.bind_null(11);
    if (request.cert_serial)
        insert.bind(12, *request.cert_serial);
    else
        insert.bind_null(12);
    insert.bind(13, request.source);
    insert.run();
    insert_audit(db_, received);
    transaction.commit();
    return expired;
}

std::optional<EnrolmentRequest> SqliteStore::find_request(const std::string& id) {
    const Lock lock(mutex_);
    sqlite::Statement query(
        db_, std::string("SELECT ") + kRequestColumns + " FROM enrolment_requests WHERE id = ?",
        sqlite::Reuse::keep);
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return request_from_row(query);
}

std::vector<EnrolmentRequest> SqliteStore::requests_with_status(RequestStatus status) {
    const Lock lock(mutex_);
    // rowid breaks ties between requests received in the same millisecond: insertion order.
    sqlite::Statement query(db_, std::string("SELECT ") + kRequestColumns +
                                     " FROM enrolment_requests WHERE status = ?"
                                     " ORDER BY received_at, rowid");
    query.bind(1, std::string(to_string(status)));
    std::vector<EnrolmentRequest> found;
    while (query.step()) found.push_back(request_from_row(query));
    return found;
}

std::vector<std::string> SqliteStore::expire_requests(TimePoint received_by,
                                                      const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    std::vector<std::string> ids;
    {
        sqlite::Statement query(db_, std::string("SELECT id FROM enrolment_requests WHERE ") +
                                         kUndecided +
                                         " AND received_at <= ? ORDER BY received_at, rowid");
        query.bind(1, to_millis(received_by));
        while (query.step()) ids.push_back(query.text(0));
    }
    for (const auto& id : ids) expire_request_row(db_, id, event.at, event);
    transaction.commit();
    return ids;
}

size_t SqliteStore::purge_requests(TimePoint decided_before, size_t keep, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    size_t purged = delete_decided_beyond(db_, keep);
    {
        sqlite::Statement purge(db_, std::string("DELETE FROM enrolment_requests WHERE NOT ") +
                                         kUndecided + " AND decided_at < ?");
        purge.bind(1, to_millis(decided_before));
        purge.run();
    }
    purged += static_cast<size_t>(db_.changes());
    if (purged > 0) {
        AuditEvent counted = event;
        counted.detail = std::to_string(purged) + " " + event.detail;
        insert_audit(db_, counted);
    }
    transaction.commit();
    return purged;
}

bool SqliteStore::decide_request(const std::string& id, RequestStatus status, TimePoint at,
                                 const AuditEvent& event) {
    if (status == RequestStatus::pending || status == RequestStatus::issued) {
        // Issuing goes through commit_enrolment, which also stores the certificate.
        throw std::invalid_argument(std::string("decide_request cannot set status ") +
                                    to_string(status));
    }
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        // "still undecided" is checked by the UPDATE itself, so a request decided concurrently
        // (by the CLI, or by expiry) is never decided twice.
        // A final decision drops the key: only an undecided request can still be signed.
        sqlite::Statement update(
            db_,
            "UPDATE enrolment_requests SET status = ?1, decided_at = ?2,"
            " public_key = CASE WHEN ?1 = 'overlap' THEN public_key"
            " ELSE x'' END WHERE id = ?3 AND status IN ('pending', 'overlap')");
        update.bind(1, std::string(to_string(status))).bind(2, to_millis(at)).bind(3, id);
        update.run();
    }
    if (db_.changes() != 1) return false;  // the transaction rolls back: nothing changed
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

std::vector<std::string> SqliteStore::withdraw_enrolment(const std::string& id,
                                                         const Bytes& public_key_info, TimePoint at,
                                                         const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    int64_t device_id = 0;
    {
        sqlite::Statement query(db_,
                                "SELECT device_id FROM enrolment_requests WHERE id = ?"
                                " AND status = 'issued' AND device_id IS NOT NULL");
        query.bind(1, id);
        if (!query.step()) return {};
        device_id = query.int64(0);
    }
    // RFC 5280 5.3.1's privilegeWithdrawn: the approval that let the device have it is taken back.
    auto serials = revoke_device_rows(db_, device_id, at, RevocationReason::privilege_withdrawn);
    {
        // '#' never appears in a label (RFC 1123 2.1), so the old name is free for good.
        sqlite::Statement free_name(db_,
                                    "UPDATE devices SET deleted_at = ?, name = name || '#' || id"
                                    " WHERE id = ?");
        free_name.bind(1, to_millis(at)).bind(2, device_id);
        free_name.run();
    }
    {
        sqlite::Statement update(db_,
                                 "UPDATE enrolment_requests SET status = 'overlap', decided_at = ?,"
                                 " public_key = ? WHERE id = ?");
        update.bind(1, to_millis(at)).bind(2, public_key_info).bind(3, id);
        update.run();
    }
    insert_audit(db_, event);
    transaction.commit();
    return serials;
}

std::vector<EnrolmentRequest> SqliteStore::stored_requests() {
    const Lock lock(mutex_);
    sqlite::Statement query(db_, std::string("SELECT ") + kRequestColumns +
                                     " FROM enrolment_requests ORDER BY received_at, rowid");
    std::vector<EnrolmentRequest> found;
    while (query.step()) found.push_back(request_from_row(query));
    return found;
}

bool SqliteStore::name_taken(const std::string& name) {
    const Lock lock(mutex_);
    // Both columns are COLLATE NOCASE, so this matches names differing only in case, as DNS
    // would. A name an ACME account owns is taken even before its first certificate exists.
    return exists(db_,
                  "SELECT 1 FROM devices WHERE name = ?1"
                  " UNION ALL SELECT 1 FROM acme_names WHERE label = ?1",
                  name);
}

bool SqliteStore::serial_exists(const std::string& serial_hex) {
    const Lock lock(mutex_);
    return exists(db_, "SELECT 1 FROM certificates WHERE serial = ?", serial_hex);
}

int64_t SqliteStore::commit_enrolment(const NewDevice& device, const IssuedCert& cert,
                                      const std::string& request_id, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    // An ACME account's claim on the name counts as holding it (name_taken), checked in this
    // transaction so that a native enrolment racing an ACME validation cannot take it too.
    if (exists(db_, "SELECT 1 FROM acme_names WHERE label = ?", device.name))
        throw NameClaimedMeanwhile("the name " + device.name +
                                   " is owned by an ACME account; nothing was stored");
    {
        sqlite::Statement insert(db_,
                                 "INSERT INTO devices (name, ipv4, key_type, source, created_at)"
                                 " VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, device.name);
        bind_optional_ipv4(insert, 2, device.ipv4);
        insert.bind(3, device.key_type)
            .bind(4, std::string(to_string(device.source)))
            .bind(5, to_millis(device.created_at));
        insert.run();
    }
    const int64_t device_id = db_.last_insert_rowid();
    insert_certificate(db_, cert, device_id);
    if (!request_id.empty()) {
        sqlite::Statement update(db_,
                                 "UPDATE enrolment_requests"
                                 " SET status = 'issued', decided_at = ?, device_id = ?,"
                                 " cert_serial = ?, public_key = x''"
                                 " WHERE id = ? AND status IN ('pending', 'overlap')");
        update.bind(1, to_millis(cert.issued_at))
            .bind(2, device_id)
            .bind(3, cert.serial_hex)
            .bind(4, request_id);
        update.run();
        if (db_.changes() != 1) {
            // Decided (denied, expired) between the caller's check and now: the certificate must
            // not exist, so the device and certificate above roll back with the transaction.
            throw std::runtime_error("enrolment request " + request_id +
                                     " is missing or already decided; nothing was stored");
        }
    }
    insert_audit(db_, event);
    transaction.commit();
    return device_id;
}

void SqliteStore::commit_renewal(const IssuedCert& cert, std::optional<Ipv4> ipv4,
                                 const std::string& key_type, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        // Updated first, and only while not revoked: a revoked device must never receive a
        // certificate that is not itself on the CRL (backstop for the core's check).
        sqlite::Statement update(db_,
                                 "UPDATE devices SET key_type = ?, ipv4 = COALESCE(?, ipv4)"
                                 " WHERE id = ? AND revoked_at IS NULL");
        update.bind(1, key_type);
        bind_optional_ipv4(update, 2, ipv4);
        update.bind(3, cert.device_id);
        update.run();
    }
    if (db_.changes() != 1) {
        throw std::runtime_error("cannot renew for device " + std::to_string(cert.device_id) +
                                 ": it is missing or revoked; nothing was stored");
    }
    insert_certificate(db_, cert, cert.device_id);
    insert_audit(db_, event);
    transaction.commit();
}

bool SqliteStore::update_device_address(int64_t device_id, Ipv4 address, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement update(db_,
                                 "UPDATE devices SET ipv4 = ? WHERE id = ? AND revoked_at IS NULL");
        update.bind(1, address.to_string()).bind(2, device_id);
        update.run();
    }
    if (db_.changes() != 1) return false;  // rolls back: nothing changed
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

bool SqliteStore::flag_possibly_cloned(int64_t device_id, TimePoint at, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement update(db_, "UPDATE devices SET possibly_cloned_at = ? WHERE id = ?");
        update.bind(1, to_millis(at)).bind(2, device_id);
        update.run();
    }
    if (db_.changes() != 1) return false;  // rolls back: nothing changed
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

std::vector<Device> SqliteStore::devices_at(Ipv4 address) {
    const Lock lock(mutex_);
    sqlite::Statement query(db_, std::string("SELECT ") + kDeviceColumns +
                                     " FROM devices WHERE ipv4 = ? AND revoked_at IS NULL"
                                     " AND deleted_at IS NULL ORDER BY id");
    query.bind(1, address.to_string());
    std::vector<Device> found;
    while (query.step()) found.push_back(device_from_row(query));
    return found;
}

std::optional<Device> SqliteStore::find_device(int64_t id) {
    const Lock lock(mutex_);
    sqlite::Statement query(db_,
                            std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE id = ?",
                            sqlite::Reuse::keep);
    query.bind(1, id);
    return one_device(query);
}

std::optional<Device> SqliteStore::find_device_by_name(const std::string& name) {
    const Lock lock(mutex_);
    sqlite::Statement query(
        db_, std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE name = ?");
    query.bind(1, name);
    return one_device(query);
}

std::vector<Device> SqliteStore::devices() {
    const Lock lock(mutex_);
    sqlite::Statement query(db_, std::string("SELECT ") + kDeviceColumns +
                                     " FROM devices WHERE deleted_at IS NULL ORDER BY name");
    std::vector<Device> found;
    while (query.step()) found.push_back(device_from_row(query));
    return found;
}

std::optional<IssuedCert> SqliteStore::find_certificate(const std::string& serial_hex) {
    const Lock lock(mutex_);
    sqlite::Statement query(
        db_, std::string("SELECT ") + kCertificateColumns + " FROM certificates WHERE serial = ?",
        sqlite::Reuse::keep);
    query.bind(1, serial_hex);
    if (!query.step()) return std::nullopt;
    return certificate_from_row(query);
}

std::vector<IssuedCert> SqliteStore::certificates_of(int64_t device_id) {
    return newest_certificates(device_id, SIZE_MAX);
}

std::vector<IssuedCert> SqliteStore::newest_certificates(int64_t device_id, size_t count) {
    const Lock lock(mutex_);
    // rowid DESC puts the later of two certificates issued in the same millisecond first.
    sqlite::Statement query(db_,
                            std::string("SELECT ") + kCertificateColumns +
                                " FROM certificates WHERE device_id = ?"
                                " ORDER BY issued_at DESC, rowid DESC LIMIT ?",
                            sqlite::Reuse::keep);
    query.bind(1, device_id).bind(2, sql_limit(count));
    std::vector<IssuedCert> found;
    while (query.step()) found.push_back(certificate_from_row(query));
    return found;
}

bool SqliteStore::rename_device(int64_t device_id, const std::string& name,
                                const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    // NOCASE on the column: "Printer" is taken when "printer" exists, as in DNS (RFC 4343).
    sqlite::Statement taken(db_, "SELECT 1 FROM devices WHERE name = ? AND id <> ?");
    taken.bind(1, name).bind(2, device_id);
    if (taken.step()) return false;
    sqlite::Statement update(db_,
                             "UPDATE devices SET name = ? WHERE id = ? AND deleted_at IS NULL");
    update.bind(1, name).bind(2, device_id);
    update.run();
    if (db_.changes() != 1) return false;
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

bool SqliteStore::delete_device(int64_t device_id, TimePoint at, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    sqlite::Statement update(db_,
                             "UPDATE devices SET deleted_at = ? WHERE id = ?"
                             " AND revoked_at IS NOT NULL AND deleted_at IS NULL");
    update.bind(1, to_millis(at)).bind(2, device_id);
    update.run();
    if (db_.changes() != 1) return false;
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

void SqliteStore::snapshot_to(const std::string& path) {
    const Lock lock(mutex_);
    sqlite::Statement vacuum(db_, "VACUUM INTO ?");
    vacuum.bind(1, path);
    vacuum.run();
}

void SqliteStore::append_audit(const AuditEvent& event) {
    const Lock lock(mutex_);
    insert_audit(db_, event);
}

std::vector<AuditEvent> SqliteStore::audit_log(size_t limit) {
    const Lock lock(mutex_);
    sqlite::Statement query(db_,
                            "SELECT at, event, subject, detail FROM audit_log ORDER BY id DESC"
                            " LIMIT ?");
    query.bind(1, sql_limit(limit));
    std::vector<AuditEvent> found;
    while (query.step()) {
        found.push_back(
            AuditEvent{from_millis(query.int64(0)), query.text(1), query.text(2), query.text(3)});
    }
    return found;
}

}  // namespace rca
