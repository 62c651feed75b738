#pragma once
// Shared fixtures for the store tests: a temporary directory and sample values. Times are whole
// milliseconds because the store keeps milliseconds.
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/store.hpp"
#include "store/sqlite_handle.hpp"

namespace rca::test {

/// A fresh directory under the system temp dir, removed with everything in it when destroyed.
class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "rca-store-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// A path inside the directory.
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

/// The time `millis` milliseconds after the epoch.
inline TimePoint ms(int64_t millis) { return TimePoint(std::chrono::milliseconds(millis)); }

/// A pending request with every optional field empty.
inline EnrolmentRequest sample_request(const std::string& id, int64_t received_ms = 1000) {
    EnrolmentRequest r;
    r.id = id;
    r.token_hash = Bytes(32, 0xab);
    r.public_key_info = Bytes{0x30, 0x82, 0x00, 0x01};
    r.key_id = "key-" + id;
    r.key_type = "p256";
    r.received_at = ms(received_ms);
    return r;
}

/// Caps too large for a test of something else to reach.
inline RequestLimits roomy_limits() {
    return RequestLimits{1000, 1000, std::chrono::hours(24), 1000};
}

/// store.add_request with `limits` and plain audit events; returns the ids evicted.
inline std::vector<std::string> add_request(Store& store, const EnrolmentRequest& r,
                                            const RequestLimits& limits = roomy_limits()) {
    return store.add_request(r, limits, AuditEvent{r.received_at, "request.received", r.id, ""},
                             AuditEvent{r.received_at, "request.evicted", "", "room"});
}

/// A device to enrol under `name`.
inline NewDevice sample_device(const std::string& name) {
    NewDevice d;
    d.name = name;
    d.ipv4 = Ipv4::parse("192.168.1.20");
    d.key_type = "p256";
    d.source = DeviceSource::native;
    d.created_at = ms(5000);
    return d;
}

/// A certificate with serial `serial`, issued at `issued_ms`.
inline IssuedCert sample_cert(const std::string& serial, int64_t issued_ms = 5000,
                              IssueKind kind = IssueKind::enrolment) {
    IssuedCert c;
    c.serial_hex = serial;
    c.der = Bytes{0x30, 0x03, 0x02, 0x01, 0x01};
    c.not_before = ms(issued_ms - 60'000);
    c.not_after = ms(issued_ms + 86'400'000);
    c.issued_at = ms(issued_ms);
    c.kind = kind;
    return c;
}

/// An audit event.
inline AuditEvent sample_event(const std::string& verb, const std::string& subject,
                               int64_t at_ms = 5000) {
    return AuditEvent{ms(at_ms), verb, subject, "detail of " + verb};
}

/// The single integer a query such as "PRAGMA user_version" or "SELECT count(*)..." returns.
inline int64_t query_int(sqlite::Connection& db, const std::string& sql) {
    sqlite::Statement query(db, sql);
    if (!query.step()) throw std::runtime_error("no row from " + sql);
    return query.int64(0);
}

/// The single text a query returns.
inline std::string query_text(sqlite::Connection& db, const std::string& sql) {
    sqlite::Statement query(db, sql);
    if (!query.step()) throw std::runtime_error("no row from " + sql);
    return query.text(0);
}

}  // namespace rca::test
