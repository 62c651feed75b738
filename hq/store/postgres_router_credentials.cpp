// PostgresHqStore's router credentials (the routers table,
// postgres_migrations/005_router_credentials.sql), in a file of their own.
#include "hq/store/postgres_hq_store.hpp"
#include "store/table_access.hpp"

namespace hq {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;
using rca::table_access::from_millis;
using rca::table_access::to_millis;

constexpr const char* kRouterColumns =
    "SELECT id, secret_hash, revoked_at, home, last_new_home_at FROM routers ";

std::optional<RouterCredential> one_router(const Result& r) {
    if (r.rows() == 0) return std::nullopt;
    RouterCredential router{r.text(0, 0), r.bytes(0, 1), std::nullopt, r.text(0, 3), std::nullopt};
    if (!r.is_null(0, 2)) router.revoked_at = from_millis(r.int64(0, 2));
    if (!r.is_null(0, 4)) router.last_new_home_at = from_millis(r.int64(0, 4));
    return router;
}

}  // namespace

RouterImport PostgresHqStore::import_routers(const std::vector<RouterCredential>& routers,
                                             TimePoint now) {
    return pool_.with([&](Connection& db) {
        pg::Transaction transaction(db);
        RouterImport result;
        for (const RouterCredential& router : routers) {
            // ON CONFLICT DO NOTHING: an import racing another of the same list waits for it and
            // then finds the row, rather than failing on the key.
            const Result inserted = db.exec(
                "INSERT INTO routers (id, secret_hash, imported_at) VALUES ($1, $2, $3) "
                "ON CONFLICT (id) DO NOTHING RETURNING id",
                Params().add(router.id).add(router.secret_hash).add(to_millis(now)));
            if (inserted.rows() == 1) {
                ++result.added;
                continue;
            }
            const Result known =
                db.exec("SELECT secret_hash FROM routers WHERE id = $1", Params().add(router.id));
            if (known.bytes(0, 0) != router.secret_hash) {
                result.conflict = router.id;
                return result;  // the transaction rolls back: nothing imported
            }
            ++result.unchanged;
        }
        transaction.commit();
        return result;
    });
}

std::optional<RouterCredential> PostgresHqStore::router(const std::string& id) {
    return pool_.with([&](Connection& db) {
        return one_router(db.exec(std::string(kRouterColumns) + "WHERE id = $1", Params().add(id)));
    });
}

bool PostgresHqStore::revoke_router(const std::string& id, TimePoint now) {
    return pool_.with([&](Connection& db) {
        return db.exec("UPDATE routers SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2",
                       Params().add(to_millis(now)).add(id))
                   .changed() > 0;
    });
}

bool PostgresHqStore::bind_router(const std::string& id, const std::string& home) {
    return pool_.with([&](Connection& db) {
        pg::Transaction transaction(db);
        // The router's row locked first: a revocation committed meanwhile is seen here.
        if (db.exec("SELECT 1 FROM routers WHERE id = $1 AND revoked_at IS NULL FOR UPDATE",
                    Params().add(id))
                .rows() == 0)
            return false;
        if (db.exec("SELECT 1 FROM routers WHERE home = $1 AND revoked_at IS NOT NULL FOR UPDATE",
                    Params().add(home))
                .rows() > 0)
            return false;
        // A home is held by one router at most (UNIQUE): whoever held it lets go first.
        db.exec("UPDATE routers SET home = NULL WHERE home = $1 AND id <> $2",
                Params().add(home).add(id));
        db.exec("UPDATE routers SET home = $1 WHERE id = $2", Params().add(home).add(id));
        transaction.commit();
        return true;
    });
}

std::optional<RouterCredential> PostgresHqStore::router_of_home(const std::string& home) {
    return pool_.with([&](Connection& db) {
        return one_router(
            db.exec(std::string(kRouterColumns) + "WHERE home = $1", Params().add(home)));
    });
}

}  // namespace hq
