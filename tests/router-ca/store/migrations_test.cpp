#include "store/migrations.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "store/connection_settings.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

using Catch::Matchers::Contains;
using rca::SqliteStore;
using rca::sqlite::Connection;
using rca::test::query_int;
using rca::test::query_text;
using rca::test::TempDir;
namespace schema = rca::schema;

namespace {

bool has_table(Connection& db, const std::string& table) {
    return query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" +
                             table + "'") == 1;
}

std::string devices_sql(Connection& db) {
    return query_text(db,
                      "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'devices'");
}

// A device row with this source, through raw SQL on `db`.
void insert_device_with_source(Connection& db, const std::string& name, const std::string& source) {
    db.exec("INSERT INTO devices (name, key_type, source, created_at) VALUES ('" + name +
            "', 'p256', '" + source + "', 1)");
}

// The version of the migration whose file is named `name` (NNN_name.sql): the lead renumbers
// migrations that branches add side by side, so a test names them rather than their numbers.
int version_of_migration(const std::string& name) {
    for (const auto& m : schema::embedded_migrations())
        if (std::string(m.file_name).find("_" + name + ".sql") != std::string::npos)
            return m.version;
    FAIL("no migration named " << name);
    return 0;
}

// Since this version a device remembers when it was flagged as possibly cloned (issue 15).
int lineage_version() { return version_of_migration("device_address_and_lineage"); }

// Rows that are valid at schema version `version`, written with raw SQL as a binary of that
// version would have left them. Extend this when adding a migration.
void seed_rows_at(Connection& db, int version) {
    if (version >= 1) {
        db.exec(
            "INSERT INTO devices (id, name, ipv4, key_type, source, created_at)"
            "  VALUES (7, 'printer', '192.168.1.20', 'p256', 'native', 1000);"
            "INSERT INTO certificates VALUES ('0a1b', 7, x'3003020101', 900, 90000, 1000,"
            "  'enrolment');"
            "INSERT INTO certificates VALUES ('0a1c', 7, x'3003020102', 1900, 91000, 2000,"
            "  'renewal');"
            "INSERT INTO revocations (serial, revoked_at) VALUES ('0a1b', 2000);");
        // Before version 5 a request kept its CSR; since, its public key and source address.
        const std::string key_column = version >= 5 ? "public_key" : "csr_der";
        db.exec("INSERT INTO enrolment_requests (id, token_hash, " + key_column +
                ", key_id, key_type, status, received_at, decided_at, device_id, cert_serial)"
                "  VALUES ('req-1', x'abcd', x'3082', 'kid', 'p256', 'issued', 500, 1000, 7,"
                "  '0a1b');"
                "INSERT INTO enrolment_requests (id, token_hash, " +
                key_column +
                ", key_id, key_type, status, received_at)"
                "  VALUES ('req-2', x'abcd', x'3082', 'kid-2', 'p256', 'pending', 900);");
    }
    if (version >= 2) {
        db.exec(
            "INSERT INTO audit_log (at, event, subject, detail)"
            "  VALUES (1000, 'cert.issued', 'printer', 'seeded');");
    }
    if (version >= 3) {
        db.exec(
            "INSERT INTO admin_account VALUES (1, '$argon2id$seeded', 1000, 2000);"
            "INSERT INTO devices (id, name, key_type, source, created_at, revoked_at, deleted_at)"
            "  VALUES (8, 'old-phone', 'p256', 'native', 1000, 1500, 1600);");
    }
    if (version >= 4) {
        db.exec(
            "INSERT INTO acme_eab_keys VALUES ('kid-1', x'0102', 900, NULL);"
            "INSERT INTO acme_accounts (id, jwk_json, thumbprint, contact, status, approval, "
            "eab_kid,"
            "  created_at, approved_at) VALUES ('acct-1', '{}', 'thumb-1', '[\"mailto:a@b\"]',"
            "  'valid', 'eab', 'kid-1', 1000, 1000);"
            "UPDATE acme_eab_keys SET bound_account = 'acct-1';"
            "INSERT INTO devices (id, name, ipv4, key_type, source, created_at)"
            "  VALUES (9, 'nas', '192.168.1.30', 'p256', 'acme', 3000);"
            "INSERT INTO certificates VALUES ('0a1d', 9, x'3003020103', 2900, 92000, 3000,"
            "  'enrolment');"
            "INSERT INTO acme_orders VALUES ('order-1', 'acct-1', 'valid', 2000, 9000,"
            "  '[\"nas.home.arpa\"]', 'nas', '', '', '0a1d');"
            "INSERT INTO acme_authorizations VALUES ('authz-1', 'order-1', 'acct-1', 0,"
            "  'nas.home.arpa', 'nas', 'valid', 9000, 'tok', 'http-01', 2500, '192.168.1.30',"
            "  '', '');"
            "INSERT INTO acme_names VALUES ('nas', 'acct-1', 2500);");
    }
    if (version >= 6) {
        db.exec(
            "UPDATE revocations SET reason = 1 WHERE serial = '0a1b';"
            "UPDATE crl_number SET last_issued = 40;");
    }
    if (version >= 7) db.exec("UPDATE devices SET hq_withdrawn_for = 1500 WHERE id = 8;");
    if (version >= lineage_version())
        db.exec("UPDATE devices SET possibly_cloned_at = 2600 WHERE id = 7;");
}

// Checks, through the current store, that the rows seed_rows_at(version) wrote are all there.
void check_seeded_rows(SqliteStore& store, int version) {
    if (version >= 1) {
        const auto device = store.find_device(7);
        REQUIRE(device);
        CHECK(device->name == "printer");
        REQUIRE(device->ipv4);
        CHECK(device->ipv4->to_string() == "192.168.1.20");
        CHECK(device->created_at == rca::test::ms(1000));

        const auto certificates = store.certificates_of(7);
        REQUIRE(certificates.size() == 2);
        CHECK(certificates[0].serial_hex == "0a1c");
        CHECK(certificates[0].kind == rca::IssueKind::renewal);
        CHECK(certificates[1].der == rca::Bytes{0x30, 0x03, 0x02, 0x01, 0x01});

        const auto request = store.find_request("req-1");
        REQUIRE(request);
        CHECK(request->status == rca::RequestStatus::issued);
        CHECK(request->cert_serial == std::optional<std::string>("0a1b"));
        CHECK(request->name_hint.empty());  // the column default
        // An undecided request from before version 5 kept no key to sign: the upgrade expires it.
        const auto waiting = store.find_request("req-2");
        REQUIRE(waiting);
        CHECK(waiting->status ==
              (version >= 5 ? rca::RequestStatus::pending : rca::RequestStatus::expired));
        CHECK(waiting->public_key_info.empty() == (version < 5));

        CHECK(store.is_revoked("0a1b"));
        CHECK_FALSE(store.is_revoked("0a1c"));
        // Revoked before version 6: no reason was kept, so none is claimed.
        CHECK(store.revocation_of("0a1b")->reason == (version >= 6
                                                          ? rca::RevocationReason::key_compromise
                                                          : rca::RevocationReason::unspecified));
        // No device was flagged before the schema could say so.
        CHECK(device->possibly_cloned_at ==
              (version >= lineage_version() ? std::optional<rca::TimePoint>(rca::test::ms(2600))
                                            : std::nullopt));
        CHECK(store.devices_at(*rca::Ipv4::parse("192.168.1.20")).size() == 1);
    }
    // CRLs before version 6 were numbered 1 or 2: the next one is above both, or above the last
    // one the store handed out.
    CHECK(store.next_crl_number() == (version >= 6 ? 41u : 3u));
    // The deleted old-phone (version 3) was revoked before the router withdrew names at HQ: due,
    // unless version 7 recorded its withdrawal.
    const auto due = store.withdrawals_due();
    CHECK(due.size() == (version >= 3 && version < 7 ? 1u : 0u));
    if (!due.empty()) CHECK(due[0].name == "old-phone");
    if (version >= 2) {
        const auto log = store.audit_log(10);
        REQUIRE_FALSE(log.empty());
        CHECK(log.back().detail == "seeded");
    }
    // Devices from before version 3 are not deleted; the admin account starts missing.
    if (version >= 1) CHECK(store.devices().size() == (version >= 4 ? 2 : 1));
    if (version < 3) CHECK_FALSE(store.admin_password_hash());
    if (version >= 3) {
        CHECK(store.admin_password_hash() == std::optional<std::string>("$argon2id$seeded"));
        CHECK(store.find_device(8));
        CHECK(store.name_taken("old-phone"));  // deleted, but the name stays taken
    }
    if (version >= 4) {
        CHECK(store.find_device(9)->source == rca::DeviceSource::acme);
        const auto account = store.find_account("acct-1");
        REQUIRE(account);
        CHECK(account->contact == std::vector<std::string>{"mailto:a@b"});
        CHECK(account->approval == rca::acme::Approval::eab);
        CHECK(store.find_eab_key("kid-1")->bound_account == "acct-1");
        const auto order = store.find_order("order-1");
        REQUIRE(order);
        CHECK(order->authorization_ids == std::vector<std::string>{"authz-1"});
        CHECK(store.find_authorization("authz-1")->validated_at == rca::test::ms(2500));
        CHECK(store.certificate_account("0a1d") == std::optional<std::string>("acct-1"));
        CHECK(store.name_owner("NAS") == std::optional<std::string>("acct-1"));
    }
}

// Stores an ACME device through `store`: shows that devices.source accepts 'acme'.
void issue_through_acme(SqliteStore& store) {
    rca::acme::Account account;
    account.id = "acct-upgraded";
    account.thumbprint = "thumb-upgraded";
    account.approval = rca::acme::Approval::admin;
    REQUIRE(store.add_account(account, rca::test::sample_event("acme.account.created", "x")));
    rca::acme::Order order;
    order.id = "order-upgraded";
    order.account_id = account.id;
    order.label = "camera";
    order.identifiers = {"camera.home.arpa"};
    store.add_order(order, {});
    REQUIRE(store.claim_name("camera", account.id, rca::test::ms(8000),
                             rca::test::sample_event("acme.name.claimed", "camera")));
    rca::acme::AcmeIssue issue;
    issue.order_id = order.id;
    issue.account_id = account.id;
    issue.label = "camera";
    issue.key_type = "p256";
    issue.cert = rca::test::sample_cert("0b00", 9000);
    const int64_t id =
        store.commit_acme_issue(issue, rca::test::sample_event("acme.cert.issued", "camera"));
    CHECK(store.find_device(id)->source == rca::DeviceSource::acme);
}

}  // namespace

TEST_CASE("store migrations: embedded files are numbered 1..N", "[store][migrations]") {
    const auto& all = schema::embedded_migrations();
    REQUIRE(all.size() >= 2);
    for (size_t i = 0; i < all.size(); ++i) {
        CAPTURE(all[i].file_name);
        CHECK(all[i].version == static_cast<int>(i) + 1);
        CHECK(std::string(all[i].sql).find("CREATE ") != std::string::npos);
    }
    CHECK(schema::latest_version() == static_cast<int>(all.size()));
    CHECK(SqliteStore::schema_version() == schema::latest_version());
}

TEST_CASE("store migrations: each version has exactly the tables it introduced",
          "[store][migrations]") {
    Connection db(":memory:");
    CHECK(schema::version_of(db) == 0);

    schema::migrate(db, 1);
    CHECK(schema::version_of(db) == 1);
    for (const char* table : {"devices", "certificates", "enrolment_requests", "revocations"})
        CHECK(has_table(db, table));
    CHECK_FALSE(has_table(db, "audit_log"));

    schema::migrate(db, 2);
    CHECK(schema::version_of(db) == 2);
    CHECK(has_table(db, "audit_log"));
    CHECK_FALSE(has_table(db, "admin_account"));

    schema::migrate(db, 3);
    CHECK(schema::version_of(db) == 3);
    CHECK(has_table(db, "admin_account"));
    for (const char* table :
         {"acme_accounts", "acme_eab_keys", "acme_orders", "acme_authorizations", "acme_names"})
        CHECK_FALSE(has_table(db, table));
    const std::string devices_at_3 = devices_sql(db);

    schema::migrate(db, 4);
    CHECK(schema::version_of(db) == 4);
    for (const char* table :
         {"acme_accounts", "acme_eab_keys", "acme_orders", "acme_authorizations", "acme_names"})
        CHECK(has_table(db, table));
    // devices changes in its source CHECK only; the edit leaves writable_schema off.
    std::string widened = devices_at_3;
    const std::string check = "CHECK (source IN ('native', 'router'))";
    REQUIRE(widened.find(check) != std::string::npos);
    widened.replace(widened.find(check), check.size(),
                    "CHECK (source IN ('native', 'router', 'acme'))");
    CHECK(devices_sql(db) == widened);
    CHECK(query_int(db, "PRAGMA writable_schema") == 0);
    CHECK(query_text(db, "PRAGMA integrity_check") == "ok");

    // Version 5: a request keeps its public key and source address, no longer its CSR.
    const auto has_column = [&db](const char* column) {
        return query_int(db, std::string("SELECT count(*) FROM pragma_table_info("
                                         "'enrolment_requests') WHERE name = '") +
                                 column + "'") == 1;
    };
    CHECK(has_column("csr_der"));
    schema::migrate(db, 5);
    CHECK(schema::version_of(db) == 5);
    CHECK_FALSE(has_column("csr_der"));
    CHECK(has_column("public_key"));
    CHECK(has_column("source"));
    CHECK(query_text(db, "PRAGMA integrity_check") == "ok");

    // Version 6: revocations keep a reason, and the CRL number is kept. Version 7: the devices
    // whose names HQ withdrew.
    schema::migrate(db, 6);
    CHECK(has_table(db, "crl_number"));
    CHECK(query_int(db, "SELECT last_issued FROM crl_number") == 2);
    CHECK(query_int(db,
                    "SELECT count(*) FROM pragma_table_info('revocations') WHERE name = "
                    "'reason'") == 1);
    REQUIRE_THROWS_WITH(db.exec("INSERT INTO crl_number VALUES (2, 1)"), Contains("CHECK"));
    schema::migrate(db, 7);
    CHECK(query_int(db,
                    "SELECT count(*) FROM pragma_table_info('devices') WHERE name = "
                    "'hq_withdrawn_for'") == 1);
    // Version 8: devices remember
    // when they were flagged as possibly cloned, and are found by address.
    schema::migrate(db, lineage_version());
    CHECK(schema::version_of(db) == lineage_version());
    CHECK(query_int(db,
                    "SELECT count(*) FROM pragma_table_info('devices')"
                    " WHERE name = 'possibly_cloned_at'") == 1);
    CHECK(query_int(db,
                    "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                    " AND name = 'devices_by_ipv4'") == 1);
    CHECK(query_text(db, "PRAGMA integrity_check") == "ok");

    // Never downgrades: asking for an older version leaves the database alone.
    const int reached = schema::version_of(db);
    schema::migrate(db, 1);
    CHECK(schema::version_of(db) == reached);
}

TEST_CASE("store migrations: a target outside 0..latest is a bug", "[store][migrations]") {
    Connection db(":memory:");
    const int to = GENERATE(-1, schema::latest_version() + 1);
    REQUIRE_THROWS_AS(schema::migrate(db, to), std::invalid_argument);
    CHECK(schema::version_of(db) == 0);
}

TEST_CASE("store migrations: a failing migration leaves the previous version intact",
          "[store][migrations]") {
    Connection db(":memory:");
    schema::migrate(db, 1);
    // A stray table makes 002's CREATE TABLE fail part-way through the upgrade to version 2.
    db.exec(
        "CREATE TABLE audit_log (x INTEGER); INSERT INTO devices (name, key_type, source,"
        " created_at) VALUES ('keep', 'p256', 'native', 1)");

    REQUIRE_THROWS_WITH(schema::migrate(db, 2), Contains("002_audit_log.sql"));
    CHECK(schema::version_of(db) == 1);
    CHECK(query_int(db, "SELECT count(*) FROM devices WHERE name = 'keep'") == 1);
}

TEST_CASE("store migrations: a database at every version upgrades and keeps its rows",
          "[store][migrations]") {
    // Every older version, and the current one (its rows must read back, too).
    const int from = GENERATE(range(0, SqliteStore::schema_version() + 1));
    CAPTURE(from);
    const TempDir dir;
    const std::string path = dir.file("ca.db");
    {
        Connection db(path);
        rca::apply_store_settings(db);
        schema::migrate(db, from);
        REQUIRE(schema::version_of(db) == from);
        seed_rows_at(db, from);
    }
    {
        SqliteStore store(path);
        check_seeded_rows(store, from);
        // The upgraded store is fully usable, including tables newer than `from`, and the
        // connection that migrated already sees the widened devices.source CHECK.
        issue_through_acme(store);
        store.append_audit(rca::test::sample_event("store.upgraded", "ca.db", 9000));
        CHECK(store.audit_log(1).at(0).event == "store.upgraded");
    }
    Connection db(path);
    rca::apply_store_settings(db);
    CHECK(schema::version_of(db) == SqliteStore::schema_version());
    CHECK(query_text(db, "PRAGMA integrity_check") == "ok");
    CHECK(query_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
    // Every row from before is still there (a table rebuild gone wrong would cascade deletes).
    if (from >= 1) {
        CHECK(query_int(db, "SELECT count(*) FROM certificates WHERE device_id = 7") == 2);
        CHECK(query_int(db, "SELECT count(*) FROM revocations") == 1);
        CHECK(query_int(db, "SELECT device_id FROM enrolment_requests WHERE id = 'req-1'") == 7);
    }
    // The CHECK is wider, not gone; a reason outside RFC 5280's list for leaves is refused.
    REQUIRE_THROWS_WITH(insert_device_with_source(db, "bogus", "other"), Contains("CHECK"));
    if (from >= 1)
        REQUIRE_THROWS_WITH(db.exec("UPDATE revocations SET reason = 2"), Contains("CHECK"));
}

TEST_CASE("store migrations: connections open during the upgrade to 4 accept ACME devices",
          "[store][migrations]") {
    const TempDir dir;
    const std::string path = dir.file("ca.db");
    Connection other(path);
    rca::apply_store_settings(other);
    schema::migrate(other, 3);
    insert_device_with_source(other, "before", "native");  // `other` has parsed the schema
    {
        SqliteStore store(path);  // another connection migrates to the current version
    }
    // The schema cookie changed with the upgrade, so `other` parses the widened CHECK.
    insert_device_with_source(other, "after", "acme");
    CHECK(query_text(other, "SELECT source FROM devices WHERE name = 'after'") == "acme");
}

TEST_CASE("store migrations: 004 refuses a devices table whose source CHECK it does not know",
          "[store][migrations]") {
    Connection db(":memory:");
    schema::migrate(db, 3);
    // As if edited by hand: the same constraint, spelled differently.
    db.exec(
        "PRAGMA writable_schema = ON;"
        "UPDATE sqlite_master SET sql = replace(sql, 'CHECK (source IN (''native'', ''router''))',"
        "  'CHECK (source IN (''native'',''router''))') WHERE name = 'devices';"
        "PRAGMA writable_schema = RESET;");
    const std::string edited = devices_sql(db);

    REQUIRE_THROWS_WITH(
        schema::migrate(db, 4),
        Contains("004_acme.sql") && Contains("devices_source_check_is_the_one_from_001"));
    CHECK(schema::version_of(db) == 3);
    CHECK(devices_sql(db) == edited);
    CHECK_FALSE(has_table(db, "acme_accounts"));
    CHECK(query_int(db, "PRAGMA writable_schema") == 0);
    CHECK(query_text(db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("store migrations: a database newer than this binary is refused", "[store][migrations]") {
    const TempDir dir;
    const std::string path = dir.file("future.db");
    const int future = SqliteStore::schema_version() + 1;
    {
        Connection db(path);
        db.exec("PRAGMA user_version = " + std::to_string(future));
    }
    REQUIRE_THROWS_WITH(
        SqliteStore(path),
        Contains("database " + path + " has schema version " + std::to_string(future) +
                 " but this router-ca knows only up to " +
                 std::to_string(SqliteStore::schema_version()) + "; refusing to open it"));
    // Refusing must not touch the file.
    Connection db(path);
    CHECK(schema::version_of(db) == future);
    CHECK_FALSE(has_table(db, "devices"));
}

TEST_CASE("store migrations: data persists across reopening and the file is sound",
          "[store][migrations]") {
    const TempDir dir;
    const std::string path = dir.file("ca.db");
    int64_t device_id = 0;
    {
        SqliteStore store(path);
        rca::test::add_request(store, rca::test::sample_request("req-1"));
        device_id =
            store.commit_enrolment(rca::test::sample_device("nas"), rca::test::sample_cert("01ff"),
                                   "req-1", rca::test::sample_event("cert.issued", "nas"));
    }
    {
        SqliteStore store(path);  // reopening an up-to-date file applies nothing
        const auto device = store.find_device_by_name("nas");
        REQUIRE(device);
        CHECK(device->id == device_id);
        CHECK(store.find_certificate("01ff"));
        CHECK(store.find_request("req-1")->status == rca::RequestStatus::issued);
        CHECK(store.audit_log(10).size() == 2);  // request received, certificate issued
    }
    Connection db(path);
    CHECK(schema::version_of(db) == SqliteStore::schema_version());
    CHECK(query_text(db, "PRAGMA integrity_check") == "ok");
    CHECK(query_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
    CHECK(query_text(db, "PRAGMA journal_mode") == "wal");  // WAL is a property of the file
}

TEST_CASE("store migrations: every connection gets the store's pragmas", "[store][migrations]") {
    const TempDir dir;
    const std::string path = GENERATE(std::string(":memory:"), std::string("file"));
    Connection db(path == "file" ? dir.file("settings.db") : path);
    rca::apply_store_settings(db);
    CHECK(query_int(db, "PRAGMA foreign_keys") == 1);
    CHECK(query_int(db, "PRAGMA synchronous") == 2);  // FULL
    CHECK(query_int(db, "PRAGMA busy_timeout") == 5000);
    CHECK(query_text(db, "PRAGMA journal_mode") == (path == "file" ? "wal" : "memory"));
}

TEST_CASE("store migrations: the runner serves any schema, named in its messages",
          "[store][migrations]") {
    // Another program's schema (HQ's, in hq/store) through the same runner.
    const std::vector<schema::Migration> other = {
        {1, "001_a.sql", "CREATE TABLE a (x INTEGER);"},
        {2, "002_b.sql", "CREATE TABLE b (y INTEGER);"},
    };
    Connection db(":memory:");
    schema::apply_migrations(db, other, 1, "other-program");
    CHECK(schema::version_of(db) == 1);
    CHECK(has_table(db, "a"));
    CHECK_FALSE(has_table(db, "b"));
    schema::apply_migrations(db, other, 2, "other-program");
    CHECK(has_table(db, "b"));
    db.exec("PRAGMA user_version = 3");
    REQUIRE_THROWS_WITH(schema::apply_migrations(db, other, 2, "other-program"),
                        Contains("but this other-program knows only up to 2"));
    CHECK_THROWS_AS(schema::apply_migrations(db, other, 3, "other-program"), std::invalid_argument);
}
