// SqliteHqStore's router credentials (the routers table, migrations/003_router_credentials.sql),
// in a file of their own like router-ca's store concerns.
#include "hq/store/sqlite_hq_store.hpp"
#include "store/table_access.hpp"

namespace hq {
namespace {

using rca::sqlite::Statement;
using rca::sqlite::Transaction;
using rca::table_access::from_millis;
using rca::table_access::to_millis;
using Lock = std::lock_guard<std::mutex>;

constexpr const char* kRouterColumns =
    "SELECT id, secret_hash, revoked_at, home, last_new_home_at FROM routers ";

std::optional<RouterCredential> one_router(Statement& query) {
    if (!query.step()) return std::nullopt;
    RouterCredential router{query.text(0), query.blob(1), std::nullopt, query.text(3),
                            std::nullopt};
    if (!query.is_null(2)) router.revoked_at = from_millis(query.int64(2));
    if (!query.is_null(4)) router.last_new_home_at = from_millis(query.int64(4));
    return router;
}

}  // namespace

RouterImport SqliteHqStore::import_routers(const std::vector<RouterCredential>& routers,
                                           TimePoint now) {
    const Lock lock(mutex_);
    Transaction transaction(db_);
    RouterImport result;
    for (const RouterCredential& router : routers) {
        Statement existing(db_, "SELECT secret_hash FROM routers WHERE id = ?");
        existing.bind(1, router.id);
        if (existing.step()) {
            if (existing.blob(0) != router.secret_hash) {
                result.conflict = router.id;
                return result;  // the transaction rolls back: nothing imported
            }
            ++result.unchanged;
            continue;
        }
        Statement(db_, "INSERT INTO routers (id, secret_hash, imported_at) VALUES (?, ?, ?)")
            .bind(1, router.id)
            .bind(2, router.secret_hash)
            .bind(3, to_millis(now))
            .run();
        ++result.added;
    }
    transaction.commit();
    return result;
}

std::optional<RouterCredential> SqliteHqStore::router(const std::string& id) {
    const Lock lock(mutex_);
    Statement q(db_, std::string(kRouterColumns) + "WHERE id = ?");
    q.bind(1, id);
    return one_router(q);
}

bool SqliteHqStore::revoke_router(const std::string& id, TimePoint now) {
    const Lock lock(mutex_);
    Transaction transaction(db_);
    Statement(db_, "UPDATE routers SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?")
        .bind(1, to_millis(now))
        .bind(2, id)
        .run();
    const bool found = db_.changes() > 0;
    transaction.commit();
    return found;
}

bool SqliteHqStore::bind_router(const std::string& id, const std::string& home) {
    const Lock lock(mutex_);
    Transaction transaction(db_);
    Statement check(db_, "SELECT 1 FROM routers WHERE id = ? AND revoked_at IS NULL");
    check.bind(1, id);
    if (!check.step()) return false;
    Statement revoked_holder(db_,
                             "SELECT 1 FROM routers WHERE home = ? AND revoked_at IS NOT NULL");
    revoked_holder.bind(1, home);
    if (revoked_holder.step()) return false;
    // A home is held by one router at most (UNIQUE): whoever held it lets go first.
    Statement(db_, "UPDATE routers SET home = NULL WHERE home = ? AND id <> ?")
        .bind(1, home)
        .bind(2, id)
        .run();
    Statement(db_, "UPDATE routers SET home = ? WHERE id = ?").bind(1, home).bind(2, id).run();
    transaction.commit();
    return true;
}

std::optional<RouterCredential> SqliteHqStore::router_of_home(const std::string& home) {
    const Lock lock(mutex_);
    Statement q(db_, std::string(kRouterColumns) + "WHERE home = ?");
    q.bind(1, home);
    return one_router(q);
}

}  // namespace hq
