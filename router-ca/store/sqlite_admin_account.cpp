// SqliteStore's admin account (migration 003): the one password hash, created once with the setup
// code, replaced by a password change or by a rehash at the current cost after a login.
#include "store/sqlite_store.hpp"
#include "store/table_access.hpp"

namespace rca {
namespace {

using namespace table_access;
using Lock = std::lock_guard<std::mutex>;

}  // namespace

std::optional<std::string> SqliteStore::admin_password_hash() {
    const Lock lock(mutex_);
    sqlite::Statement query(db_, "SELECT password_hash FROM admin_account WHERE id = 1");
    if (!query.step()) return std::nullopt;
    return query.text(0);
}

bool SqliteStore::create_admin(const std::string& password_hash, TimePoint at,
                               const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    sqlite::Statement insert(db_,
                             "INSERT OR IGNORE INTO admin_account (id, password_hash, created_at,"
                             " updated_at) VALUES (1, ?, ?, ?)");
    insert.bind(1, password_hash).bind(2, to_millis(at)).bind(3, to_millis(at));
    insert.run();
    if (db_.changes() != 1) return false;
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

void SqliteStore::set_admin_password(const std::string& password_hash, TimePoint at,
                                     const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    sqlite::Statement upsert(db_,
                             "INSERT INTO admin_account (id, password_hash, created_at, updated_at)"
                             " VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                             " password_hash = excluded.password_hash,"
                             " updated_at = excluded.updated_at");
    upsert.bind(1, password_hash).bind(2, to_millis(at)).bind(3, to_millis(at));
    upsert.run();
    insert_audit(db_, event);
    transaction.commit();
}

bool SqliteStore::replace_admin_password_hash(const std::string& current,
                                              const std::string& replacement, TimePoint at,
                                              const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    sqlite::Statement update(db_,
                             "UPDATE admin_account SET password_hash = ?, updated_at = ?"
                             " WHERE id = 1 AND password_hash = ?");
    update.bind(1, replacement).bind(2, to_millis(at)).bind(3, current);
    update.run();
    if (db_.changes() != 1) return false;
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

}  // namespace rca
