#include "store/table_access.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "core/store.hpp"

namespace rca::table_access {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

int64_t to_millis(TimePoint at) {
    return duration_cast<milliseconds>(at.time_since_epoch()).count();
}

TimePoint from_millis(int64_t millis) {
    return TimePoint(duration_cast<Clock::duration>(milliseconds(millis)));
}

void corrupt(const std::string& what, const std::string& value) {
    throw std::runtime_error("store holds an invalid " + what + ": '" + value + "'");
}

std::optional<TimePoint> optional_time(const sqlite::Statement& row, int column) {
    if (row.is_null(column)) return std::nullopt;
    return from_millis(row.int64(column));
}

std::optional<Ipv4> optional_ipv4(const sqlite::Statement& row, int column) {
    if (row.is_null(column)) return std::nullopt;
    const std::string text = row.text(column);
    const auto address = Ipv4::parse(text);
    if (!address) corrupt("IPv4 address", text);
    return address;
}

void bind_optional_ipv4(sqlite::Statement& statement, int index, const std::optional<Ipv4>& ip) {
    if (ip)
        statement.bind(index, ip->to_string());
    else
        statement.bind_null(index);
}

void bind_optional_time(sqlite::Statement& statement, int index,
                        const std::optional<TimePoint>& at) {
    if (at)
        statement.bind(index, to_millis(*at));
    else
        statement.bind_null(index);
}

void bind_text_or_null(sqlite::Statement& statement, int index, const std::string& text) {
    if (text.empty())
        statement.bind_null(index);
    else
        statement.bind(index, text);
}

int64_t sql_limit(size_t limit) {
    return static_cast<int64_t>(
        std::min<size_t>(limit, static_cast<size_t>(std::numeric_limits<int64_t>::max())));
}

bool exists(sqlite::Connection& db, const char* sql, const std::string& key) {
    sqlite::Statement query(db, sql);
    query.bind(1, key);
    return query.step();
}

void insert_certificate(sqlite::Connection& db, const IssuedCert& cert, int64_t device_id) {
    sqlite::Statement insert(db,
                             "INSERT INTO certificates (serial, device_id, der, not_before,"
                             " not_after, issued_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, cert.serial_hex)
        .bind(2, device_id)
        .bind(3, cert.der)
        .bind(4, to_millis(cert.not_before))
        .bind(5, to_millis(cert.not_after))
        .bind(6, to_millis(cert.issued_at))
        .bind(7, std::string(to_string(cert.kind)));
    insert.run();
}

void insert_audit(sqlite::Connection& db, const AuditEvent& event) {
    sqlite::Statement insert(
        db, "INSERT INTO audit_log (at, event, subject, detail) VALUES (?, ?, ?, ?)");
    insert.bind(1, to_millis(event.at))
        .bind(2, event.event)
        .bind(3, event.subject)
        .bind(4, event.detail);
    insert.run();
    // A ring of kAuditLogKept events: every kPruneEvery-th event drops those that fell out of it,
    // so pruning costs O(1) per event (ids only grow: AUTOINCREMENT, 002_audit_log.sql).
    constexpr int64_t kPruneEvery = 64;
    const int64_t id = db.last_insert_rowid();
    if (id % kPruneEvery == 0) {
        sqlite::Statement prune(db, "DELETE FROM audit_log WHERE id <= ?");
        prune.bind(1, id - static_cast<int64_t>(kAuditLogKept));
        prune.run();
    }
}

std::vector<std::string> make_room(sqlite::Connection& db, const CappedRows& rows,
                                   const std::string& source, const RequestLimits& limits,
                                   const std::function<void(const std::string&)>& drop) {
    std::vector<std::string> dropped;
    for (const bool of_source : {true, false}) {
        const size_t cap = of_source ? limits.per_source : limits.total;
        sqlite::Statement query(db, std::string("SELECT id FROM ") + rows.table + " WHERE " +
                                        rows.where + (of_source ? " AND source = ?2" : "") +
                                        " ORDER BY " + rows.age_column +
                                        " DESC, rowid DESC LIMIT -1 OFFSET ?1");
        query.bind(1, sql_limit(cap > 0 ? cap - 1 : 0));
        if (of_source) query.bind(2, source);
        std::vector<std::string> ids;
        while (query.step()) ids.push_back(query.text(0));
        for (auto id = ids.rbegin(); id != ids.rend(); ++id) {
            drop(*id);
            dropped.push_back(*id);
        }
    }
    return dropped;
}

std::vector<std::string> revoke_device_rows(sqlite::Connection& db, int64_t device_id, TimePoint at,
                                            RevocationReason reason) {
    std::vector<std::string> serials;
    {
        sqlite::Statement query(db,
                                "SELECT serial FROM certificates WHERE device_id = ?"
                                " AND serial NOT IN (SELECT serial FROM revocations)"
                                " ORDER BY issued_at, rowid");
        query.bind(1, device_id);
        while (query.step()) serials.push_back(query.text(0));
    }
    {
        // The first revocation time stays: it is the one the CRL already published.
        sqlite::Statement update(
            db, "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
        update.bind(1, to_millis(at)).bind(2, device_id);
        update.run();
    }
    sqlite::Statement insert(
        db, "INSERT INTO revocations (serial, revoked_at, reason) VALUES (?, ?, ?)");
    for (const std::string& serial : serials) {
        insert.bind(1, serial).bind(2, to_millis(at)).bind(3, int64_t{reason_code(reason)});
        insert.run();
        insert.reset();
    }
    return serials;
}

}  // namespace rca::table_access
