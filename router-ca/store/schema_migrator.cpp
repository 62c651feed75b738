#include "store/schema_migrator.hpp"

#include <stdexcept>

namespace rca::schema {

int version_of(sqlite::Connection& db) {
    sqlite::Statement query(db, "PRAGMA user_version");
    query.step();
    return static_cast<int>(query.int64(0));
}

void apply_migrations(sqlite::Connection& db, const std::vector<Migration>& migrations, int to,
                      const std::string& program) {
    const int latest = static_cast<int>(migrations.size());
    if (to < 0 || to > latest) {
        throw std::invalid_argument("cannot migrate to schema version " + std::to_string(to) +
                                    "; known versions are 0 to " + std::to_string(latest));
    }
    for (;;) {
        // The version is read inside the write transaction, so two processes opening the same
        // new file cannot both apply a migration: the second waits, then sees it done.
        sqlite::Transaction transaction(db);
        const int current = version_of(db);
        if (current > latest) {
            throw std::runtime_error("database " + db.path() + " has schema version " +
                                     std::to_string(current) + " but this " + program +
                                     " knows only up to " + std::to_string(latest) +
                                     "; refusing to open it (downgrade?)");
        }
        if (current >= to) return;  // nothing to do; the transaction rolls back harmlessly
        const Migration& next = migrations[static_cast<size_t>(current)];
        try {
            db.exec(next.sql);
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("migration ") + next.file_name +
                                     " failed: " + e.what());
        }
        // user_version lives in the database header, which commits with the transaction, so a
        // crash leaves either the old schema and version or the new ones.
        db.exec("PRAGMA user_version = " + std::to_string(next.version));
        transaction.commit();
    }
}

}  // namespace rca::schema
