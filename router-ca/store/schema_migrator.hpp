#pragma once
// The numbered-migration mechanism (house style #10), shared by every SQLite schema in the repo:
// router-ca's store (store/migrations.hpp) and HQ's (hq/store). Each migration runs in one
// transaction together with PRAGMA user_version = NNN; a database newer than the binary is
// refused rather than guessed at.
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

/// The schema version recorded in `db` (PRAGMA user_version; 0 for a new, empty database).
int version_of(sqlite::Connection& db);

/// Upgrades `db` to version `to` (0..migrations.size()) through `migrations` (entry i has version
/// i + 1), one transaction per migration; a database already at or past `to` is left alone.
/// Throws std::runtime_error naming the path and `program` if the database is newer than the
/// last migration, std::invalid_argument if `to` is out of range.
void apply_migrations(sqlite::Connection& db, const std::vector<Migration>& migrations, int to,
                      const std::string& program);

}  // namespace rca::schema
