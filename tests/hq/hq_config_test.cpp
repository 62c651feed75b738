// No test name starts with "--": ctest passes the name to Catch2, which would
// read a leading "--" as one of its own options and fail the test.
// `hq serve`'s options for the database: SQLite or PostgreSQL, the order lease and the instance
// name; a malformed value is refused with a message naming the problem (and never the password).
#include <catch2/catch.hpp>

#include "hq/daemon/hq_config.hpp"

using namespace hq;

namespace {

std::variant<HqConfig, std::string> parse(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--zone", "vendor.example", "--acme-directory",
                                     "https://ca.example/dir"};
    args.insert(args.end(), extra.begin(), extra.end());
    return parse_hq_options(args);
}

}  // namespace

TEST_CASE("serve --db chooses the store") {
    SECTION("SQLite by default, in the data folder") {
        const auto c = std::get<HqConfig>(parse({"--data-dir", "/srv/hq"}));
        CHECK(c.db_path == "/srv/hq/hq.db");
        CHECK(c.postgres_url.empty());
    }
    SECTION("sqlite:PATH") {
        const auto c = std::get<HqConfig>(parse({"--db", "sqlite:/var/hq.db"}));
        CHECK(c.db_path == "/var/hq.db");
        CHECK(c.postgres_url.empty());
    }
    SECTION("postgresql:// and postgres:// URIs are kept whole for libpq") {
        const std::string url =
            GENERATE(std::string("postgresql://hq:secret@db.example:5432/hq?sslmode=verify-full"),
                     std::string("postgres://hq@127.0.0.1/hq"), std::string("postgresql:///hq"));
        const auto c = std::get<HqConfig>(parse({"--db", url}));
        CHECK(c.postgres_url == url);
    }
}

TEST_CASE("a bad --db is a usage error that names the problem, not the password") {
    const auto [value, says] = GENERATE(
        std::make_pair(std::string("sqlite:"), std::string("expected sqlite:PATH")),
        std::make_pair(std::string("mysql://db/hq"), std::string("expected sqlite:PATH")),
        std::make_pair(std::string("postgresql://hq:hunter2@db/hq?nosuch=1"),
                       std::string("not a PostgreSQL URI")),
        // libpq quotes a badly %-escaped component whole: here, the password.
        std::make_pair(std::string("postgresql://hq:hunter2%zz@db/hq"),
                       std::string("not a PostgreSQL URI")));
    const auto parsed = parse({"--db", value});
    REQUIRE(std::holds_alternative<std::string>(parsed));
    const std::string& error = std::get<std::string>(parsed);
    CHECK(error.find("--db") != std::string::npos);
    CHECK(error.find(says) != std::string::npos);
    CHECK(error.find("hunter2") == std::string::npos);
}

TEST_CASE("serve --order-lease and --instance-name") {
    SECTION("defaults: two minutes, and a name made at start") {
        const auto c = std::get<HqConfig>(parse({}));
        CHECK(c.order_lease == std::chrono::seconds(120));
        CHECK(c.instance_name.empty());
    }
    SECTION("set") {
        const auto c =
            std::get<HqConfig>(parse({"--order-lease", "5", "--instance-name", "hq-a"}));
        CHECK(c.order_lease == std::chrono::seconds(5));
        CHECK(c.instance_name == "hq-a");
    }
    SECTION("a lease outside 2..3600 s is refused") {
        const std::string value = GENERATE(std::string("1"), std::string("3601"),
                                           std::string("5s"), std::string(""));
        CHECK(std::holds_alternative<std::string>(parse({"--order-lease", value})));
    }
}
