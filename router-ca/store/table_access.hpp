#pragma once
// Column conversions and row writes that SqliteStore's two halves share: the core's tables
// (sqlite_store.cpp) and the ACME server's (sqlite_acme_store.cpp). HQ's store (hq/store) uses the
// time and corruption helpers too, so that every database in the repo spells time the same way.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/request_limits.hpp"
#include "core/types.hpp"
#include "store/sqlite_handle.hpp"

namespace rca::table_access {

/// Undecided enrolment requests, in SQL: waiting for a window (pending) or for the admin (overlap).
inline constexpr const char* kUndecided = "status IN ('pending', 'overlap')";

/// Milliseconds since the Unix epoch, the form every time column holds (finer parts truncated).
int64_t to_millis(TimePoint at);
/// The inverse of to_millis.
TimePoint from_millis(int64_t millis);

/// Throws std::runtime_error for a column value outside what the schema allows: the file was
/// edited by hand or is corrupt, which is not an expected error.
[[noreturn]] void corrupt(const std::string& what, const std::string& value);

/// Result column `column` as a time, nullopt for NULL.
std::optional<TimePoint> optional_time(const sqlite::Statement& row, int column);
/// Result column `column` as a dotted-quad address, nullopt for NULL; corrupt() for other text.
std::optional<Ipv4> optional_ipv4(const sqlite::Statement& row, int column);
/// Binds the address as dotted-quad text, or NULL.
void bind_optional_ipv4(sqlite::Statement& statement, int index, const std::optional<Ipv4>& ip);
/// Binds the time as milliseconds, or NULL.
void bind_optional_time(sqlite::Statement& statement, int index,
                        const std::optional<TimePoint>& at);
/// Binds the text, or NULL when it is empty (for optional keys such as a certificate serial).
void bind_text_or_null(sqlite::Statement& statement, int index, const std::string& text);

/// A size_t limit as SQLite's LIMIT takes it: a signed 64-bit integer, larger meaning "all".
int64_t sql_limit(size_t limit);

/// Rows that newcomers from one source address may push out: those of `table` matching the fixed
/// SQL condition `where`, aged by `age_column`, with the source address in column `source`.
struct CappedRows {
    const char* table;
    const char* where;
    const char* age_column;
};

/// Calls `drop` with the id of each of the oldest `rows` of `source`, then of all sources, that
/// stand in the way of one more from `source` within limits.per_source and limits.total (what
/// anyone on the LAN may make, issue 14), oldest first; returns those ids. Reads at most the caps'
/// worth of rows. Call inside a transaction; `drop` must take the row out of `rows`.
std::vector<std::string> make_room(sqlite::Connection& db, const CappedRows& rows,
                                   const std::string& source, const RequestLimits& limits,
                                   const std::function<void(const std::string&)>& drop);

/// True when the one-parameter query `sql` returns a row for `key`.
bool exists(sqlite::Connection& db, const char* sql, const std::string& key);

/// Inserts the certificate for device_id (cert.device_id is ignored).
void insert_certificate(sqlite::Connection& db, const IssuedCert& cert, int64_t device_id);
/// Appends the event to audit_log.
void insert_audit(sqlite::Connection& db, const AuditEvent& event);
/// Marks the device revoked at `at` unless it already is, and revokes at `at` for `reason` each
/// of its certificates not yet revoked; returns their serials, oldest first. Call inside a
/// transaction.
std::vector<std::string> revoke_device_rows(sqlite::Connection& db, int64_t device_id, TimePoint at,
                                            RevocationReason reason);

}  // namespace rca::table_access
