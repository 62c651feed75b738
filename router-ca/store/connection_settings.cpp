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
    // The WAL is checkpointed (folded into the database) once it holds 100 pages, 400 KiB at the
    // default 4 KiB page size, rather than the default 1000 (4 MiB), and after a checkpoint the
    // file is cut back to 512 KiB, where it would otherwise keep its largest size: on a router's
    // 16 MiB flash a few MiB of stale log matter, and a flood of requests commits quickly
    // (issue 14; https://www.sqlite.org/pragma.html#pragma_wal_autocheckpoint and
    // #pragma_journal_size_limit).
    db.exec("PRAGMA wal_autocheckpoint = 100");
    db.exec("PRAGMA journal_size_limit = 524288");
}

}  // namespace rca
