// SqliteStore's revocations: what the CRL lists, with each one's reason; the CRL number; and
// which revoked devices' public names the router has withdrawn at HQ.
#include <stdexcept>

#include "store/sqlite_store.hpp"
#include "store/table_access.hpp"

namespace rca {
namespace {

using namespace table_access;
using Lock = std::lock_guard<std::mutex>;

Revocation revocation_from_row(const sqlite::Statement& row) {
    const int64_t code = row.int64(2);
    const auto reason = revocation_reason_from_code(code);
    if (!reason) corrupt("revocation reason", std::to_string(code));
    return Revocation{row.text(0), from_millis(row.int64(1)), *reason};
}

}  // namespace

std::vector<std::string> SqliteStore::revoke_device(int64_t device_id, TimePoint at,
                                                    RevocationReason reason,
                                                    const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement query(db_, "SELECT revoked_at FROM devices WHERE id = ?");
        query.bind(1, device_id);
        if (!query.step()) {
            throw std::runtime_error("cannot revoke device " + std::to_string(device_id) +
                                     ": no such device");
        }
        if (!query.is_null(0)) return {};  // already revoked: idempotent, no second audit event
    }
    std::vector<std::string> serials = revoke_device_rows(db_, device_id, at, reason);
    insert_audit(db_, event);
    transaction.commit();
    return serials;
}

bool SqliteStore::revoke_certificate(const std::string& serial_hex, TimePoint at,
                                     RevocationReason reason, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        // Inserts nothing when the certificate is missing or already revoked.
        sqlite::Statement insert(db_,
                                 "INSERT INTO revocations (serial, revoked_at, reason)"
                                 " SELECT serial, ?, ? FROM certificates WHERE serial = ?"
                                 " AND serial NOT IN (SELECT serial FROM revocations)");
        insert.bind(1, to_millis(at)).bind(2, int64_t{reason_code(reason)}).bind(3, serial_hex);
        insert.run();
    }
    if (db_.changes() != 1) return false;
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

bool SqliteStore::is_revoked(const std::string& serial_hex) {
    const Lock lock(mutex_);
    return exists(db_, "SELECT 1 FROM revocations WHERE serial = ?", serial_hex);
}

std::optional<Revocation> SqliteStore::revocation_of(const std::string& serial_hex) {
    const Lock lock(mutex_);
    sqlite::Statement query(db_,
                            "SELECT serial, revoked_at, reason FROM revocations WHERE serial = ?");
    query.bind(1, serial_hex);
    if (!query.step()) return std::nullopt;
    return revocation_from_row(query);
}

std::vector<Revocation> SqliteStore::revocations() {
    const Lock lock(mutex_);
    sqlite::Statement query(
        db_, "SELECT serial, revoked_at, reason FROM revocations ORDER BY revoked_at, serial");
    std::vector<Revocation> found;
    while (query.step()) found.push_back(revocation_from_row(query));
    return found;
}

size_t SqliteStore::next_crl_number() {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    db_.exec("UPDATE crl_number SET last_issued = last_issued + 1 WHERE id = 1");
    int64_t number = 0;
    {
        sqlite::Statement query(db_, "SELECT last_issued FROM crl_number WHERE id = 1");
        if (!query.step()) throw std::runtime_error("the crl_number row is missing");
        number = query.int64(0);
    }
    transaction.commit();
    return static_cast<size_t>(number);
}

std::vector<PublicWithdrawal> SqliteStore::withdrawals_due() {
    const Lock lock(mutex_);
    // The reason is the newest certificate's: the one the device held when it was revoked. The
    // label is the name before "#<id>", which a device deleted to free its name carries
    // (withdraw_enrolment): HQ knew it by that label.
    sqlite::Statement query(
        db_,
        "SELECT d.id, CASE WHEN instr(d.name, '#') > 0 THEN substr(d.name, 1, instr(d.name, '#') - "
        "1)"
        " ELSE d.name END, d.revoked_at, COALESCE((SELECT r.reason FROM certificates c"
        " JOIN revocations r ON r.serial = c.serial WHERE c.device_id = d.id"
        " ORDER BY c.issued_at DESC, c.rowid DESC LIMIT 1), 0)"
        " FROM devices d WHERE d.revoked_at IS NOT NULL AND d.source <> 'router'"
        " AND (d.hq_withdrawn_for IS NULL OR d.hq_withdrawn_for <> d.revoked_at)"
        " ORDER BY d.revoked_at, d.id");
    std::vector<PublicWithdrawal> due;
    while (query.step()) {
        const auto reason = revocation_reason_from_code(query.int64(3));
        if (!reason) corrupt("revocation reason", std::to_string(query.int64(3)));
        due.push_back({query.int64(0), query.text(1), from_millis(query.int64(2)), *reason});
    }
    return due;
}

void SqliteStore::mark_withdrawn(int64_t device_id, TimePoint revoked_at) {
    const Lock lock(mutex_);
    sqlite::Statement update(db_, "UPDATE devices SET hq_withdrawn_for = ? WHERE id = ?");
    update.bind(1, to_millis(revoked_at)).bind(2, device_id);
    update.run();
}

}  // namespace rca
