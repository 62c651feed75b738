#include "store/schema_migrator.hpp"

#include <stdexcept>

namespace rca::schema {
namespace {

class SqliteMigration final : public MigrationTransaction {
  public:
    // BEGIN IMMEDIATE: the version is read inside the write transaction, so two processes opening
    // the same new file cannot both apply a migration: the second waits, then sees it done.
    explicit SqliteMigration(sqlite::Connection& db) : db_(db), transaction_(db) {}
    int version() override { return version_of(db_); }
    void apply(const Migration& migration) override {
        db_.exec(migration.sql);
        // user_version lives in the database header, which commits with the transaction, so a
        // crash leaves either the old schema and version or the new ones.
        db_.exec("PRAGMA user_version = " + std::to_string(migration.version));
    }
    void commit() override { transaction_.commit(); }

  private:
    sqlite::Connection& db_;
    sqlite::Transaction transaction_;
};

}  // namespace

void run_migrations(const BeginMigration& begin, const std::string& where,
                    const std::vector<Migration>& migrations, int to, const std::string& program) {
    const int latest = static_cast<int>(migrations.size());
    if (to < 0 || to > latest) {
        throw std::invalid_argument("cannot migrate to schema version " + std::to_string(to) +
                                    "; known versions are 0 to " + std::to_string(latest));
    }
    for (;;) {
        const auto transaction = begin();
        const int current = transaction->version();
        if (current > latest) {
            throw std::runtime_error("database " + where + " has schema version " +
                                     std::to_string(current) + " but this " + program +
                                     " knows only up to " + std::to_string(latest) +
                                     "; refusing to open it (downgrade?)");
        }
        if (current >= to) return;  // nothing to do; the transaction rolls back harmlessly
        const Migration& next = migrations[static_cast<size_t>(current)];
        try {
            transaction->apply(next);
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("migration ") + next.file_name +
                                     " failed: " + e.what());
        }
        transaction->commit();
    }
}

int version_of(sqlite::Connection& db) {
    sqlite::Statement query(db, "PRAGMA user_version");
    query.step();
    return static_cast<int>(query.int64(0));
}

void apply_migrations(sqlite::Connection& db, const std::vector<Migration>& migrations, int to,
                      const std::string& program) {
    run_migrations([&db] { return std::make_unique<SqliteMigration>(db); }, db.path(), migrations,
                   to, program);
}

}  // namespace rca::schema
