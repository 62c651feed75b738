#include "hq/store/postgres_hq_store.hpp"

#include <algorithm>
#include <stdexcept>

#include "hq/store/order_columns.hpp"
#include "hq/store/postgres_migrations.hpp"
#include "store/table_access.hpp"

namespace hq {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;
using rca::table_access::from_millis;
using rca::table_access::to_millis;

// Any fixed number: the advisory lock that serialises schema migrations between instances that
// start at once (PostgreSQL's pg_advisory_xact_lock, released at the end of the transaction).
constexpr int64_t kMigrationLock = 0x68712d736368656dLL;  // "hq-schem"

class PostgresMigration final : public rca::schema::MigrationTransaction {
  public:
    explicit PostgresMigration(Connection& db) : db_(db), transaction_(db) {
        db_.exec("SELECT pg_advisory_xact_lock($1)", Params().add(kMigrationLock));
        // The version table itself is the one thing made outside a numbered migration: it is
        // where their numbers are kept.
        db_.exec("CREATE TABLE IF NOT EXISTS hq_schema_version (version INTEGER NOT NULL)");
    }
    int version() override {
        return static_cast<int>(
            db_.exec("SELECT coalesce(max(version), 0) FROM hq_schema_version").int64(0, 0));
    }
    void apply(const rca::schema::Migration& migration) override {
        db_.exec_script(migration.sql);
        db_.exec("DELETE FROM hq_schema_version");
        db_.exec("INSERT INTO hq_schema_version (version) VALUES ($1)",
                 Params().add(static_cast<int64_t>(migration.version)));
    }
    void commit() override { transaction_.commit(); }

  private:
    Connection& db_;
    pg::Transaction transaction_;
};

// One row of a result, as order_columns::order_from reads it.
struct RowView {
    const Result& result;
    int row;
    std::string text(int column) const { return result.text(row, column); }
    Bytes blob(int column) const { return result.bytes(row, column); }
    int64_t int64(int column) const { return result.int64(row, column); }
};

std::optional<Home> one_home(const Result& r) {
    if (r.rows() == 0) return std::nullopt;
    return Home{r.text(0, 0), r.bytes(0, 1), r.bytes(0, 2), from_millis(r.int64(0, 3))};
}

std::vector<HomeRecord> read_records(const Result& r) {
    std::vector<HomeRecord> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        const std::string text = r.text(i, 2);
        const auto address = rca::Ipv4::parse(text);
        if (!address) rca::table_access::corrupt("record address", text);
        out.push_back({r.text(i, 0), r.text(i, 1), *address});
    }
    return out;
}

std::vector<ChallengeTxt> read_challenges(const Result& r) {
    std::vector<ChallengeTxt> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2)});
    return out;
}

// Tells every instance's change feed that `instance` changed the records or challenges of
// `home`, so that each replaces that home's shard only. NOTIFY is delivered when, and only if,
// the surrounding transaction commits.
void notify_zone_changed(Connection& db, const std::string& instance, const std::string& home) {
    db.exec("SELECT pg_notify($1, $2)",
            Params().add(std::string(kZoneChannel)).add(zone_change_payload(instance, home)));
}

// The same for the home of order_id (challenge records belong to an order).
void notify_order_zone_changed(Connection& db, const std::string& instance,
                               const std::string& order_id) {
    const Result home = db.exec("SELECT home FROM orders WHERE id = $1", Params().add(order_id));
    if (home.rows() > 0) notify_zone_changed(db, instance, home.text(0, 0));
}

void upsert_record(Connection& db, const HomeRecord& record, const std::string& instance) {
    db.exec(
        "INSERT INTO records (home, label, address) VALUES ($1, $2, $3) "
        "ON CONFLICT (home, label) DO UPDATE SET address = excluded.address",
        Params().add(record.home).add(record.label).add(record.address.to_string()));
    notify_zone_changed(db, instance, record.home);
}

}  // namespace

PostgresHqStore::PostgresHqStore(const std::string& conninfo, std::string instance,
                                 std::chrono::seconds lease)
    : pool_(conninfo), instance_(std::move(instance)), lease_(lease) {
    pool_.with([](Connection& db) {
        rca::schema::run_migrations([&db] { return std::make_unique<PostgresMigration>(db); },
                                    db.describe(), schema::postgres::embedded_migrations(),
                                    schema_version(), "hq");
    });
}

int PostgresHqStore::schema_version() {
    return static_cast<int>(schema::postgres::embedded_migrations().size());
}

std::string PostgresHqStore::describe() { return pool_.describe(); }

std::string PostgresHqStore::shared_account(const std::string& thumbprint) {
    return pool_.with([&](Connection& db) {
        // Two instances starting at once: the loser's insert waits for the winner's commit and
        // does nothing; both then read the winner's.
        db.exec("INSERT INTO acme_account (thumbprint) VALUES ($1) ON CONFLICT DO NOTHING",
                Params().add(thumbprint));
        return db.exec("SELECT thumbprint FROM acme_account").text(0, 0);
    });
}

std::optional<Home> PostgresHqStore::home_by_token(const Bytes& token_hash) {
    return pool_.with([&](Connection& db) {
        return one_home(
            db.exec("SELECT name, token_hash, credential_hash, created_at FROM homes "
                    "WHERE token_hash = $1",
                    Params().add(token_hash)));
    });
}

std::optional<Home> PostgresHqStore::home_by_name(const std::string& name) {
    return pool_.with([&](Connection& db) {
        return one_home(
            db.exec("SELECT name, token_hash, credential_hash, created_at FROM homes "
                    "WHERE name = $1",
                    Params().add(name)));
    });
}

HomeInsert PostgresHqStore::insert_home(const Home& home, const HomeRecord& first_record,
                                        const std::string& router) {
    return pool_.with([&](Connection& db) {
        pg::Transaction transaction(db);
        // ON CONFLICT DO NOTHING without a target covers both unique keys (name and token_hash);
        // a conflicting insert still in flight in another instance is waited for, so a row
        // missing from RETURNING means the other one is committed and visible below.
        const Result inserted = db.exec(
            "INSERT INTO homes (name, token_hash, credential_hash, created_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING name",
            Params()
                .add(home.name)
                .add(home.token_hash)
                .add(home.credential_hash)
                .add(to_millis(home.created_at)));
        if (inserted.rows() == 0) {
            // The token wins over the name: the caller then answers with the token's home.
            const bool token_taken =
                db.exec("SELECT 1 FROM homes WHERE token_hash = $1", Params().add(home.token_hash))
                    .rows() > 0;
            return token_taken ? HomeInsert::token_taken : HomeInsert::name_taken;
        }
        // Then the router's row, locked: a revocation or another new home of the same router
        // committed meanwhile is seen here (a refusal rolls the home back).
        const Result holder =
            db.exec("SELECT revoked_at, last_new_home_at FROM routers WHERE id = $1 FOR UPDATE",
                    Params().add(router));
        if (holder.rows() == 0 || !holder.is_null(0, 0)) return HomeInsert::router_refused;
        if (!holder.is_null(0, 1) &&
            from_millis(holder.int64(0, 1)) + kNewHomeInterval > home.created_at)
            return HomeInsert::too_soon;
        upsert_record(db, first_record, instance_);
        // A new home has no holder yet; bound in this transaction, so no home is left without one.
        db.exec("UPDATE routers SET home = $1, last_new_home_at = $2 WHERE id = $3",
                Params().add(home.name).add(to_millis(home.created_at)).add(router));
        transaction.commit();
        return HomeInsert::inserted;
    });
}

void PostgresHqStore::put_record(const HomeRecord& record) {
    pool_.with([&](Connection& db) {
        pg::Transaction transaction(db);
        upsert_record(db, record, instance_);
        transaction.commit();
    });
}

std::vector<HomeRecord> PostgresHqStore::records() {
    return pool_.with([](Connection& db) {
        return read_records(
            db.exec("SELECT home, label, address FROM records ORDER BY home, label"));
    });
}

std::vector<HomeRecord> PostgresHqStore::records_of(const std::string& home) {
    return pool_.with([&](Connection& db) {
        return read_records(
            db.exec("SELECT home, label, address FROM records WHERE home = $1 ORDER BY label",
                    Params().add(home)));
    });
}

void PostgresHqStore::put_challenge(const ChallengeTxt& challenge) {
    pool_.with([&](Connection& db) {
        pg::Transaction transaction(db);
        db.exec(
            "INSERT INTO challenges (order_id, owner, value) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            Params().add(challenge.order_id).add(challenge.owner).add(challenge.value));
        notify_order_zone_changed(db, instance_, challenge.order_id);
        transaction.commit();
    });
}

void PostgresHqStore::remove_challenges(const std::string& order_id) {
    pool_.with([&](Connection& db) {
        pg::Transaction transaction(db);
        db.exec("DELETE FROM challenges WHERE order_id = $1", Params().add(order_id));
        notify_order_zone_changed(db, instance_, order_id);
        transaction.commit();
    });
}

std::vector<ChallengeTxt> PostgresHqStore::challenges() {
    return pool_.with([](Connection& db) {
        return read_challenges(
            db.exec("SELECT order_id, owner, value FROM challenges ORDER BY owner, value"));
    });
}

std::vector<ChallengeTxt> PostgresHqStore::challenges_of(const std::string& home) {
    return pool_.with([&](Connection& db) {
        // orders_home (home, created_at) finds the home's orders; challenges' key starts with
        // order_id.
        return read_challenges(db.exec(
            "SELECT c.order_id, c.owner, c.value FROM orders o "
            "JOIN challenges c ON c.order_id = o.id WHERE o.home = $1 ORDER BY c.owner, c.value",
            Params().add(home)));
    });
}

OrderInsert PostgresHqStore::insert_order_within(const CertificateOrder& order,
                                                 const OrderLimits& limits, TimePoint week_start,
                                                 std::optional<HqError>& refused) {
    return pool_.with([&](Connection& db) {
        pg::Transaction transaction(db);
        // The home's row lock serialises this home's order inserts across instances: without it
        // two instances could each count 4 pending orders and both add a fifth (READ COMMITTED
        // counts only what is committed).
        db.exec("SELECT 1 FROM homes WHERE name = $1 FOR UPDATE", Params().add(order.home));
        const Result counts = db.exec(
            "SELECT count(*) FILTER (WHERE status = 'pending'), "
            "count(*) FILTER (WHERE status != 'failed' AND created_at > $1) "
            "FROM orders WHERE home = $2",
            Params().add(to_millis(week_start)).add(order.home));
        const OrderCounts counted{static_cast<size_t>(counts.int64(0, 0)),
                                  static_cast<size_t>(counts.int64(0, 1))};
        refused = check_order_limits(counted, limits);
        if (refused) return OrderInsert::over_limit;
        db.exec(
            "INSERT INTO orders (id, home, name, csr_der, status, step, created_at, "
            "next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            Params()
                .add(order.id)
                .add(order.home)
                .add(order.name)
                .add(order.csr_der)
                .add(std::string(to_string(order.status)))
                .add(std::string(to_string(order.step)))
                .add(to_millis(order.created_at))
                .add(to_millis(order.next_attempt_at)));
        transaction.commit();
        return OrderInsert::inserted;
    });
}

std::optional<CertificateOrder> PostgresHqStore::order(const std::string& id) {
    return pool_.with([&](Connection& db) -> std::optional<CertificateOrder> {
        const Result r =
            db.exec(std::string("SELECT ") + order_columns::kList + " FROM orders WHERE id = $1",
                    Params().add(id));
        if (r.rows() == 0) return std::nullopt;
        return order_columns::order_from(RowView{r, 0});
    });
}

std::vector<CertificateOrder> PostgresHqStore::due_orders(TimePoint now, size_t limit) {
    return pool_.with([&](Connection& db) {
        // One statement, so one transaction: the inner SELECT locks the due, unclaimed rows it
        // picks, skipping rows another instance is claiming this instant (SKIP LOCKED: no
        // waiting, no double claim); the UPDATE leases them to this instance. A lease that ran
        // out (its instance died or hung) makes the order claimable again.
        const int64_t at = to_millis(now);
        const Result r = db.exec(
            std::string("UPDATE orders SET claimed_by = $1, lease_until = $2 WHERE id IN ("
                        "SELECT id FROM orders WHERE status IN ('pending', 'revoking') "
                        "AND next_attempt_at <= $3 "
                        "AND (lease_until IS NULL OR lease_until < $3) "
                        "ORDER BY next_attempt_at, created_at LIMIT $4 FOR UPDATE SKIP LOCKED) "
                        "RETURNING ") +
                order_columns::kList,
            Params()
                .add(instance_)
                .add(at + lease_.count())
                .add(at)
                .add(static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX))));
        std::vector<CertificateOrder> out;
        out.reserve(static_cast<size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) out.push_back(order_columns::order_from(RowView{r, i}));
        // RETURNING keeps no order; the worker expects oldest first.
        std::sort(out.begin(), out.end(), [](const CertificateOrder& a, const CertificateOrder& b) {
            return std::tie(a.next_attempt_at, a.created_at) <
                   std::tie(b.next_attempt_at, b.created_at);
        });
        return out;
    });
}

void PostgresHqStore::update_order(const CertificateOrder& o) {
    pool_.with([&](Connection& db) {
        // Saved and released (lease_until NULL) unless another instance has claimed the order
        // since: this instance's lease ran out and the other took over, so this step's result is
        // dropped (every step is safe to repeat, docs/hq.md) rather than overwriting the other's
        // progress. An order never claimed (claimed_by NULL) is saved as it is.
        pg::Transaction transaction(db);
        const Result r = db.exec(
            "UPDATE orders SET status = $1, step = $2, order_url = $3, finalize_url = $4, "
            "authz_url = $5, challenge_url = $6, certificate_url = $7, chain_pem = $8, "
            "problem_json = $9, next_attempt_at = $10, attempts = $11, lease_until = NULL "
            "WHERE id = $12 AND (claimed_by IS NULL OR claimed_by = $13)",
            Params()
                .add(std::string(to_string(o.status)))
                .add(std::string(to_string(o.step)))
                .add(o.order_url)
                .add(o.finalize_url)
                .add(o.authz_url)
                .add(o.challenge_url)
                .add(o.certificate_url)
                .add(o.chain_pem)
                .add(o.problem_json)
                .add(to_millis(o.next_attempt_at))
                .add(static_cast<int64_t>(o.attempts))
                .add(o.id)
                .add(instance_));
        if (r.changed() == 0)
            throw std::runtime_error("order " + o.id +
                                     " was not saved: it does not exist or another instance "
                                     "claimed it after this one's lease ran out");
        db.exec(std::string(order_columns::kRevokeIfWithdrawn) + "$1", Params().add(o.id));
        transaction.commit();
    });
}

size_t PostgresHqStore::withdraw_name(const std::string& home, const std::string& label,
                                      const std::string& name, rca::RevocationReason reason,
                                      TimePoint now) {
    return pool_.with([&](Connection& db) {
        pg::Transaction transaction(db);
        db.exec("DELETE FROM records WHERE home = $1 AND label = $2",
                Params().add(home).add(label));
        notify_zone_changed(db, instance_, home);
        // The name's orders are locked first: a worker saving one of them as issued right now
        // is waited for, and the statements below (each with a fresh READ COMMITTED snapshot)
        // then see it issued. Without the lock the pending-order UPDATE could skip an order that
        // became issued meanwhile, and the withdrawal would miss its certificate.
        db.exec("SELECT id FROM orders WHERE home = $1 AND name = $2 FOR UPDATE",
                Params().add(home).add(name));
        const int64_t code = rca::reason_code(reason);
        const Result issued = db.exec(
            "UPDATE orders SET status = 'revoking', step = 'revoke', revoke_reason = $1, "
            "problem_json = '', attempts = 0, next_attempt_at = $2 "
            "WHERE home = $3 AND name = $4 AND status = 'issued'",
            Params().add(code).add(to_millis(now)).add(home).add(name));
        const Result pending = db.exec(
            "UPDATE orders SET revoke_reason = $1 "
            "WHERE home = $2 AND name = $3 AND status = 'pending' AND revoke_reason IS NULL",
            Params().add(code).add(home).add(name));
        transaction.commit();
        return static_cast<size_t>(issued.changed() + pending.changed());
    });
}

}  // namespace hq
