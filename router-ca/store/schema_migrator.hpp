#pragma once
// The numbered-migration mechanism (house style #10), shared by every schema in the repo:
// router-ca's store (store/migrations.hpp), HQ's SQLite store and HQ's PostgreSQL store
// (hq/store). Each migration runs in one transaction together with the record of its version; a
// database newer than the binary is refused rather than guessed at. The databases differ only in
// how a transaction is opened and where the version is kept (MigrationTransaction).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite_handle.hpp"

namespace rca::schema {

/// One migration: the SQL that takes a database from version - 1 to version.
struct Migration {
    int version;
    const char* file_name;
    const char* sql;
};

/// One migration's transaction as a database offers it to run_migrations: open from construction,
/// excluding other migrators of the same database, rolled back on destruction unless committed.
class MigrationTransaction {
  public:
    virtual ~MigrationTransaction() = default;
    /// The schema version recorded in the database (0 for a new, empty one).
    virtual int version() = 0;
    /// Runs migration.sql and records migration.version, inside this transaction.
    virtual void apply(const Migration& migration) = 0;
    /// Commits the new schema and its version together.
    virtual void commit() = 0;
};

/// Opens the next migration transaction.
using BeginMigration = std::function<std::unique_ptr<MigrationTransaction>()>;

/// Upgrades a database to version `to` (0..migrations.size()) through `migrations` (entry i has
/// version i + 1), one transaction from begin() per migration; a database already at or past `to`
/// is left alone. Throws std::runtime_error naming `where` and `program` if the database is newer
/// than the last migration or a migration fails, std::invalid_argument if `to` is out of range.
void run_migrations(const BeginMigration& begin, const std::string& where,
                    const std::vector<Migration>& migrations, int to, const std::string& program);

/// The schema version recorded in `db` (PRAGMA user_version; 0 for a new, empty database).
int version_of(sqlite::Connection& db);

/// run_migrations on a SQLite database, whose version is PRAGMA user_version.
void apply_migrations(sqlite::Connection& db, const std::vector<Migration>& migrations, int to,
                      const std::string& program);

}  // namespace rca::schema
