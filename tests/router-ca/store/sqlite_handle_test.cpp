#include "store/sqlite_handle.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <stdexcept>
#include <utility>

#include "store_test_support.hpp"

using Catch::Matchers::Contains;
using rca::sqlite::Connection;
using rca::sqlite::Reuse;
using rca::sqlite::Statement;
using rca::sqlite::Transaction;
using rca::test::query_int;

TEST_CASE("store sqlite handle: values round-trip exactly", "[store][sqlite]") {
    Connection db(":memory:");
    db.exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB NOT NULL)");

    const std::string text = GENERATE(std::string(""), std::string("plain"),
                                      std::string("nul\0inside", 10), std::string("ünïcode"));
    const std::vector<uint8_t> bytes =
        GENERATE(std::vector<uint8_t>{}, std::vector<uint8_t>{0}, std::vector<uint8_t>{1, 0, 255});
    const int64_t number = GENERATE(int64_t{0}, int64_t{-1}, INT64_MAX, INT64_MIN);

    Statement insert(db, "INSERT INTO t (i, s, b) VALUES (?, ?, ?)");
    insert.bind(1, number).bind(2, text).bind(3, bytes);
    insert.run();

    Statement select(db, "SELECT i, s, b, b IS NULL FROM t");
    REQUIRE(select.step());
    CHECK(select.int64(0) == number);
    CHECK(select.text(1) == text);
    CHECK(select.blob(2) == bytes);
    CHECK(select.int64(3) == 0);  // an empty vector is an empty blob, never NULL
    CHECK_FALSE(select.step());
}

TEST_CASE("store sqlite handle: NULL reads as null, empty text and empty bytes",
          "[store][sqlite]") {
    Connection db(":memory:");
    Statement select(db, "SELECT ?");
    select.bind_null(1);
    REQUIRE(select.step());
    CHECK(select.is_null(0));
    CHECK(select.text(0).empty());
    CHECK(select.blob(0).empty());
}

TEST_CASE("store sqlite handle: errors throw with SQLite's message", "[store][sqlite]") {
    Connection db(":memory:");
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
    db.exec("INSERT INTO t VALUES ('a')");

    SECTION("a statement that does not compile names the SQL") {
        REQUIRE_THROWS_WITH(Statement(db, "SELEKT 1"),
                            Contains("syntax error") && Contains("SELEKT 1"));
    }
    SECTION("a constraint failure names the constraint") {
        Statement insert(db, "INSERT INTO t VALUES (?)");
        insert.bind(1, std::string("a"));
        REQUIRE_THROWS_WITH(insert.run(), Contains("UNIQUE constraint failed: t.k"));
    }
    SECTION("exec failures name the database") {
        REQUIRE_THROWS_WITH(db.exec("DROP TABLE missing"),
                            Contains(":memory:") && Contains("no such table"));
    }
    SECTION("run() refuses a statement that returns rows") {
        Statement select(db, "SELECT k FROM t");
        REQUIRE_THROWS_AS(select.run(), std::runtime_error);
    }
}

TEST_CASE("store sqlite handle: opening an impossible path throws naming it", "[store][sqlite]") {
    REQUIRE_THROWS_WITH(Connection("/nonexistent-dir/sub/x.db"),
                        Contains("/nonexistent-dir/sub/x.db"));
}

TEST_CASE("store sqlite handle: a transaction rolls back unless committed", "[store][sqlite]") {
    Connection db(":memory:");
    db.exec("CREATE TABLE t (i INTEGER)");

    SECTION("destroyed without commit") {
        {
            Transaction transaction(db);
            db.exec("INSERT INTO t VALUES (1)");
        }
        CHECK(query_int(db, "SELECT count(*) FROM t") == 0);
    }
    SECTION("left by an exception") {
        try {
            Transaction transaction(db);
            db.exec("INSERT INTO t VALUES (1)");
            throw std::runtime_error("boom");
        } catch (const std::runtime_error&) {
        }
        CHECK(query_int(db, "SELECT count(*) FROM t") == 0);
    }
    SECTION("committed") {
        {
            Transaction transaction(db);
            db.exec("INSERT INTO t VALUES (1)");
            transaction.commit();
        }
        CHECK(query_int(db, "SELECT count(*) FROM t") == 1);
    }
    // Either way the connection is usable again, i.e. no transaction was left open.
    Transaction again(db);
    again.commit();
}

TEST_CASE("store sqlite handle: reset lets a statement run again with new bindings",
          "[store][sqlite]") {
    Connection db(":memory:");
    db.exec("CREATE TABLE t (i INTEGER)");
    Statement insert(db, "INSERT INTO t VALUES (?)");
    for (int64_t i = 0; i < 3; ++i) {
        insert.bind(1, i);
        insert.run();
        insert.reset();
    }
    CHECK(query_int(db, "SELECT sum(i) FROM t") == 3);
    CHECK(db.changes() == 1);
    CHECK(db.last_insert_rowid() == 3);
}

namespace {

// The prepared statements the connection holds now, and how many of them are mid-way (stepped
// and not reset: each of those holds a read transaction open).
std::pair<int, int> statements_of(const Connection& db) {
    int held = 0, busy = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db.get(), nullptr); s;
         s = sqlite3_next_stmt(db.get(), s)) {
        ++held;
        if (sqlite3_stmt_busy(s)) ++busy;
    }
    return {held, busy};
}

}  // namespace

TEST_CASE("store sqlite handle: a kept statement is reused, reset and unbound after each use",
          "[store][sqlite]") {
    Connection db(":memory:");
    db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
    db.exec("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
    const std::string sql = "SELECT v FROM t WHERE k = ?";
    {
        Statement first(db, sql, Reuse::keep);
        first.bind(1, int64_t{1});
        REQUIRE(first.step());  // left mid-way, as a lookup that reads one row leaves it
        CHECK(first.text(0) == "one");
    }
    // Kept, and reset at once: no read transaction stays open between uses.
    CHECK(statements_of(db) == std::pair<int, int>{1, 0});
    {
        Statement again(db, sql, Reuse::keep);
        CHECK(statements_of(db) == std::pair<int, int>{1, 0});  // the same one, not a new one
        CHECK_FALSE(again.step());  // its binding was cleared: k = NULL matches no row
        again.reset();
        again.bind(1, int64_t{2});
        REQUIRE(again.step());
        CHECK(again.text(0) == "two");

        // The same SQL while the kept one is in use gets its own statement.
        Statement inner(db, sql, Reuse::keep);
        inner.bind(1, int64_t{1});
        REQUIRE(inner.step());
        CHECK(inner.text(0) == "one");
        CHECK(again.text(0) == "two");
        CHECK(statements_of(db) == std::pair<int, int>{2, 2});
    }
    // One is kept for the next use, the other finalized.
    CHECK(statements_of(db) == std::pair<int, int>{1, 0});
    // A statement made for one use is finalized, whatever the connection keeps.
    { Statement once(db, sql); }
    CHECK(statements_of(db) == std::pair<int, int>{1, 0});
}

TEST_CASE("store sqlite handle: a connection with kept statements closes and moves",
          "[store][sqlite]") {
    Connection db(":memory:");
    { Statement kept(db, "SELECT 1", Reuse::keep); }
    Connection moved(std::move(db));
    CHECK(statements_of(moved) == std::pair<int, int>{1, 0});
    { Statement kept(moved, "SELECT 1", Reuse::keep); }
    CHECK(statements_of(moved) == std::pair<int, int>{1, 0});
    // Replacing a connection closes it with what it kept.
    moved = Connection(":memory:");
    CHECK(statements_of(moved) == std::pair<int, int>{0, 0});
}
