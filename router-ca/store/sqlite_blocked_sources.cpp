// SqliteStore's blocked sources (migration 005): addresses the admin has barred from asking to
// pair; blocking one denies its undecided requests in the same transaction.
#include "store/sqlite_store.hpp"
#include "store/table_access.hpp"

namespace rca {
namespace {

using namespace table_access;
using Lock = std::lock_guard<std::mutex>;

}  // namespace

std::vector<std::string> SqliteStore::block_source(const std::string& source, TimePoint at,
                                                   const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement block(db_,
                                "INSERT OR IGNORE INTO blocked_sources (source, blocked_at)"
                                " VALUES (?, ?)");
        block.bind(1, source).bind(2, to_millis(at));
        block.run();
    }
    std::vector<std::string> denied;
    {
        sqlite::Statement query(db_, std::string("SELECT id FROM enrolment_requests WHERE ") +
                                         kUndecided + " AND source = ?");
        query.bind(1, source);
        while (query.step()) denied.push_back(query.text(0));
    }
    {
        sqlite::Statement deny(db_, std::string("UPDATE enrolment_requests SET status = 'denied',"
                                                " decided_at = ?, public_key = x''"
                                                " WHERE source = ? AND ") +
                                        kUndecided);
        deny.bind(1, to_millis(at)).bind(2, source);
        deny.run();
    }
    insert_audit(db_, event);
    transaction.commit();
    return denied;
}

bool SqliteStore::unblock_source(const std::string& source, const AuditEvent& event) {
    const Lock lock(mutex_);
    sqlite::Transaction transaction(db_);
    {
        sqlite::Statement unblock(db_, "DELETE FROM blocked_sources WHERE source = ?");
        unblock.bind(1, source);
        unblock.run();
    }
    if (db_.changes() != 1) return false;
    insert_audit(db_, event);
    transaction.commit();
    return true;
}

bool SqliteStore::is_blocked(const std::string& source) {
    const Lock lock(mutex_);
    return exists(db_, "SELECT 1 FROM blocked_sources WHERE source = ?", source);
}

std::vector<std::pair<std::string, TimePoint>> SqliteStore::blocked_sources() {
    const Lock lock(mutex_);
    sqlite::Statement query(db_, "SELECT source, blocked_at FROM blocked_sources ORDER BY source");
    std::vector<std::pair<std::string, TimePoint>> found;
    while (query.step()) found.emplace_back(query.text(0), from_millis(query.int64(1)));
    return found;
}

}  // namespace rca
