#include "hq/store/sqlite_hq_store.hpp"

#include "hq/store/hq_migrations.hpp"
#include "hq/store/order_columns.hpp"
#include "store/connection_settings.hpp"
#include "store/table_access.hpp"

namespace hq {
namespace {

using order_columns::order_from;
using rca::sqlite::Statement;
using rca::sqlite::Transaction;
using rca::table_access::corrupt;
using rca::table_access::from_millis;
using rca::table_access::to_millis;
using Lock = std::lock_guard<std::mutex>;

rca::sqlite::Connection open_and_migrate(const std::string& path) {
    rca::sqlite::Connection db(path);
    rca::apply_store_settings(db);
    rca::schema::apply_migrations(db, schema::embedded_migrations(),
                                  SqliteHqStore::schema_version(), "hq");
    return db;
}

std::optional<Home> one_home(Statement& query) {
    if (!query.step()) return std::nullopt;
    return Home{query.text(0), query.blob(1), query.blob(2), from_millis(query.int64(3))};
}

void upsert_record(rca::sqlite::Connection& db, const HomeRecord& record) {
    Statement(db,
              "INSERT INTO records (home, label, address) VALUES (?, ?, ?) "
              "ON CONFLICT (home, label) DO UPDATE SET address = excluded.address")
        .bind(1, record.home)
        .bind(2, record.label)
        .bind(3, record.address.to_string())
        .run();
}

std::vector<HomeRecord> read_records(Statement& q) {
    std::vector<HomeRecord> out;
    while (q.step()) {
        const std::string text = q.text(2);
        const auto address = rca::Ipv4::parse(text);
        if (!address) corrupt("record address", text);
        out.push_back({q.text(0), q.text(1), *address});
    }
    return out;
}

std::vector<ChallengeTxt> read_challenges(Statement& q) {
    std::vector<ChallengeTxt> out;
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2)});
    return out;
}

}  // namespace

SqliteHqStore::SqliteHqStore(const std::string& path) : db_(open_and_migrate(path)) {}

int SqliteHqStore::schema_version() {
    return static_cast<int>(schema::embedded_migrations().size());
}

std::optional<Home> SqliteHqStore::home_by_token(const Bytes& token_hash) {
    const Lock lock(mutex_);
    Statement q(db_,
                "SELECT name, token_hash, credential_hash, created_at FROM homes "
                "WHERE token_hash = ?");
    q.bind(1, token_hash);
    return one_home(q);
}

std::optional<Home> SqliteHqStore::home_by_name(const std::string& name) {
    const Lock lock(mutex_);
    Statement q(db_,
                "SELECT name, token_hash, credential_hash, created_at FROM homes WHERE name = ?");
    q.bind(1, name);
    return one_home(q);
}

HomeInsert SqliteHqStore::insert_home(const Home& home, const HomeRecord& first_record,
                                      const std::string& router) {
    const Lock lock(mutex_);
    Transaction transaction(db_);
    Statement taken(db_,
                    "SELECT (SELECT count(*) FROM homes WHERE name = ?), "
                    "(SELECT count(*) FROM homes WHERE token_hash = ?)");
    taken.bind(1, home.name).bind(2, home.token_hash);
    taken.step();
    if (taken.int64(1) > 0) return HomeInsert::token_taken;
    if (taken.int64(0) > 0) return HomeInsert::name_taken;
    Statement holder(db_, "SELECT revoked_at, last_new_home_at FROM routers WHERE id = ?");
    holder.bind(1, router);
    if (!holder.step() || !holder.is_null(0)) return HomeInsert::router_refused;
    if (!holder.is_null(1) && from_millis(holder.int64(1)) + kNewHomeInterval > home.created_at)
        return HomeInsert::too_soon;
    Statement(db_,
              "INSERT INTO homes (name, token_hash, credential_hash, created_at) "
              "VALUES (?, ?, ?, ?)")
        .bind(1, home.name)
        .bind(2, home.token_hash)
        .bind(3, home.credential_hash)
        .bind(4, to_millis(home.created_at))
        .run();
    upsert_record(db_, first_record);
    // A new home has no holder yet: binding is setting the router's row, in this transaction so
    // that a revocation cannot come between and leave a home without a router.
    Statement(db_, "UPDATE routers SET home = ?, last_new_home_at = ? WHERE id = ?")
        .bind(1, home.name)
        .bind(2, to_millis(home.created_at))
        .bind(3, router)
        .run();
    transaction.commit();
    return HomeInsert::inserted;
}

void SqliteHqStore::put_record(const HomeRecord& record) {
    const Lock lock(mutex_);
    upsert_record(db_, record);
}

std::vector<HomeRecord> SqliteHqStore::records() {
    const Lock lock(mutex_);
    Statement q(db_, "SELECT home, label, address FROM records ORDER BY home, label");
    return read_records(q);
}

std::vector<HomeRecord> SqliteHqStore::records_of(const std::string& home) {
    const Lock lock(mutex_);
    Statement q(db_, "SELECT home, label, address FROM records WHERE home = ? ORDER BY label");
    q.bind(1, home);
    return read_records(q);
}

void SqliteHqStore::put_challenge(const ChallengeTxt& challenge) {
    const Lock lock(mutex_);
    Statement(db_, "INSERT OR IGNORE INTO challenges (order_id, owner, value) VALUES (?, ?, ?)")
        .bind(1, challenge.order_id)
        .bind(2, challenge.owner)
        .bind(3, challenge.value)
        .run();
}

void SqliteHqStore::remove_challenges(const std::string& order_id) {
    const Lock lock(mutex_);
    Statement(db_, "DELETE FROM challenges WHERE order_id = ?").bind(1, order_id).run();
}

std::vector<ChallengeTxt> SqliteHqStore::challenges() {
    const Lock lock(mutex_);
    Statement q(db_, "SELECT order_id, owner, value FROM challenges ORDER BY owner, value");
    return read_challenges(q);
}

std::vector<ChallengeTxt> SqliteHqStore::challenges_of(const std::string& home) {
    const Lock lock(mutex_);
    // orders_home (home, created_at) finds the home's orders; challenges' key starts with order_id.
    Statement q(
        db_,
        "SELECT c.order_id, c.owner, c.value FROM orders o "
        "JOIN challenges c ON c.order_id = o.id WHERE o.home = ? ORDER BY c.owner, c.value");
    q.bind(1, home);
    return read_challenges(q);
}

OrderInsert SqliteHqStore::insert_order_within(const CertificateOrder& order,
                                               const OrderLimits& limits, TimePoint week_start,
                                               std::optional<HqError>& refused) {
    const Lock lock(mutex_);
    Transaction transaction(db_);
    Statement counts(db_,
                     "SELECT count(*) FILTER (WHERE status = 'pending'), "
                     "count(*) FILTER (WHERE status != 'failed' AND created_at > ?) "
                     "FROM orders WHERE home = ?");
    counts.bind(1, to_millis(week_start)).bind(2, order.home);
    counts.step();
    const OrderCounts counted{static_cast<size_t>(counts.int64(0)),
                              static_cast<size_t>(counts.int64(1))};
    refused = check_order_limits(counted, limits);
    if (refused) return OrderInsert::over_limit;
    Statement(db_,
              "INSERT INTO orders (id, home, name, csr_der, status, step, created_at, "
              "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, order.id)
        .bind(2, order.home)
        .bind(3, order.name)
        .bind(4, order.csr_der)
        .bind(5, std::string(to_string(order.status)))
        .bind(6, std::string(to_string(order.step)))
        .bind(7, to_millis(order.created_at))
        .bind(8, to_millis(order.next_attempt_at))
        .run();
    transaction.commit();
    return OrderInsert::inserted;
}

std::optional<CertificateOrder> SqliteHqStore::order(const std::string& id) {
    const Lock lock(mutex_);
    Statement q(db_, std::string("SELECT ") + order_columns::kList + " FROM orders WHERE id = ?");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return order_from(q);
}

std::vector<CertificateOrder> SqliteHqStore::due_orders(TimePoint now, size_t limit) {
    const Lock lock(mutex_);
    Statement q(db_, std::string("SELECT ") + order_columns::kList +
                         " FROM orders WHERE status IN ('pending', 'revoking') "
                         "AND next_attempt_at <= ? "
                         "ORDER BY next_attempt_at, created_at LIMIT ?");
    q.bind(1, to_millis(now)).bind(2, rca::table_access::sql_limit(limit));
    std::vector<CertificateOrder> out;
    while (q.step()) out.push_back(order_from(q));
    return out;
}

void SqliteHqStore::update_order(const CertificateOrder& o) {
    const Lock lock(mutex_);
    Transaction transaction(db_);
    Statement(db_,
              "UPDATE orders SET status = ?, step = ?, order_url = ?, finalize_url = ?, "
              "authz_url = ?, challenge_url = ?, certificate_url = ?, chain_pem = ?, "
              "problem_json = ?, next_attempt_at = ?, attempts = ? WHERE id = ?")
        .bind(1, std::string(to_string(o.status)))
        .bind(2, std::string(to_string(o.step)))
        .bind(3, o.order_url)
        .bind(4, o.finalize_url)
        .bind(5, o.authz_url)
        .bind(6, o.challenge_url)
        .bind(7, o.certificate_url)
        .bind(8, o.chain_pem)
        .bind(9, o.problem_json)
        .bind(10, to_millis(o.next_attempt_at))
        .bind(11, static_cast<int64_t>(o.attempts))
        .bind(12, o.id)
        .run();
    Statement(db_, std::string(order_columns::kRevokeIfWithdrawn) + "?").bind(1, o.id).run();
    transaction.commit();
}

size_t SqliteHqStore::withdraw_name(const std::string& home, const std::string& label,
                                    const std::string& name, rca::RevocationReason reason,
                                    TimePoint now) {
    const Lock lock(mutex_);
    Transaction transaction(db_);
    Statement(db_, "DELETE FROM records WHERE home = ? AND label = ?")
        .bind(1, home)
        .bind(2, label)
        .run();
    const int64_t code = rca::reason_code(reason);
    Statement(db_,
              "UPDATE orders SET status = 'revoking', step = 'revoke', revoke_reason = ?, "
              "problem_json = '', attempts = 0, next_attempt_at = ? "
              "WHERE home = ? AND name = ? AND status = 'issued'")
        .bind(1, code)
        .bind(2, to_millis(now))
        .bind(3, home)
        .bind(4, name)
        .run();
    size_t marked = static_cast<size_t>(db_.changes());
    Statement(db_,
              "UPDATE orders SET revoke_reason = ? "
              "WHERE home = ? AND name = ? AND status = 'pending' AND revoke_reason IS NULL")
        .bind(1, code)
        .bind(2, home)
        .bind(3, name)
        .run();
    marked += static_cast<size_t>(db_.changes());
    transaction.commit();
    return marked;
}

}  // namespace hq
