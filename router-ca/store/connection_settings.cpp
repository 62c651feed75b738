#include "store/connection_settings.hpp"

namespace rca {

void apply_store_settings(sqlite::Connection& db) {
    // The daemon and the CLI open the same file; wait for the other's lock rather than fail at
    // once with SQLITE_BUSY. Five seconds is far beyond any transaction the store runs.
    db.exec("PRAGMA busy_timeout = 5000");
    // WAL lets the CRL and API readers proceed while an enrolment commits
    // (https://www.sqlite.org/wal.html). An in-memory database has no journal file to switch.
    if (db.path() != ":memory:" && !db.path().empty()) db.exec("PRAGMA journal_mode = WAL");
    // SQLite enforces REFERENCES only when asked, per connection
    // (https://www.sqlite.org/foreignkeys.html#fk_enable). It is a no-op inside a transaction,
    // so it must run here, before any migration.
    db.exec("PRAGMA foreign_keys = ON");
    // In WAL mode, NORMAL may lose the last commits on power loss
    // (https://www.sqlite.org/pragma.html#pragma_synchronous). A CA must never forget a
    // certificate it has handed out: its serial would be reused and it could not be revoked.
    db.exec("PRAGMA synchronous = FULL");
    // After a checkpoint the WAL file keeps its size unless told otherwise; on a router's 16 MiB
    // flash a few MiB of stale log matter (https://www.sqlite.org/pragma.html#pragma_journal_size_limit).
    db.exec("PRAGMA journal_size_limit = 1048576");
}

}  // namespace rca
