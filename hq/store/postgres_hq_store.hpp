#pragma once
// HqStore on PostgreSQL (libpq), for several hq instances sharing one database (docs/hq.md,
// "Several instances"). Every method is one transaction on a connection borrowed from a pool
// (pg_pool.hpp), so the API's threads and the order worker run at once. due_orders is a claim:
// the rows it returns are leased to this instance (FOR UPDATE SKIP LOCKED, then lease_until), so
// no other instance works them until update_order releases them or the lease runs out.
#include <chrono>
#include <string>

#include "hq/core/hq_store.hpp"
#include "hq/core/powerdns_zone.hpp"
#include "hq/store/pg_pool.hpp"

namespace hq {

/// The LISTEN/NOTIFY channel on which every change to records or challenges is announced, in the
/// transaction that makes it (postgres_change_feed.hpp listens).
inline constexpr const char* kZoneChannel = "hq_zone";
/// The payload of a change to `home`'s records or challenges made by `instance`: "change
/// <instance> <home>" (a home name is one label, never holding a space). The instance's own feed
/// skips it, because the instance republishes the home itself right after each of its writes
/// (HomeService, OrderWorker); the others replace that home's shard only.
inline std::string zone_change_payload(const std::string& instance, const std::string& home) {
    return "change " + instance + " " + home;
}

class PostgresHqStore final : public HqStore {
  public:
    /// Connects with conninfo (postgresql://...), creates or migrates the schema, and claims
    /// orders as `instance` for `lease` at a time. Throws std::runtime_error (never naming the
    /// password) when the server is unreachable, refuses the login, or has a newer schema.
    PostgresHqStore(const std::string& conninfo, std::string instance, std::chrono::seconds lease);

    /// The schema version this binary writes.
    static int schema_version();
    /// "database D on HOST:PORT as USER", for the start-up log line.
    std::string describe();
    /// The ACME account key thumbprint all instances use: the first instance to start records
    /// its own; every later one gets the recorded one back, to compare with its own.
    std::string shared_account(const std::string& thumbprint);
    /// Makes the PowerDNS tables (postgres_migrations/004_powerdns.sql) serve zone: creates its
    /// domain with SOA and NS and copies every record and challenge into it when the database
    /// serves no zone yet or another apex; from then on each write changes its own rows
    /// (database triggers). True when it (re)made the zone, false when it was already served.
    bool serve_powerdns_zone(const PowerDnsZone& zone);

    std::optional<Home> home_by_token(const Bytes& token_hash) override;
    std::optional<Home> home_by_name(const std::string& name) override;
    HomeInsert insert_home(const Home& home, const HomeRecord& first_record,
                           const std::string& router) override;
    void put_record(const HomeRecord& record) override;
    std::vector<HomeRecord> records() override;
    std::vector<HomeRecord> records_of(const std::string& home) override;
    void put_challenge(const ChallengeTxt& challenge) override;
    void remove_challenges(const std::string& order_id) override;
    std::vector<ChallengeTxt> challenges() override;
    std::vector<ChallengeTxt> challenges_of(const std::string& home) override;
    OrderInsert insert_order_within(const CertificateOrder& order, const OrderLimits& limits,
                                    TimePoint week_start, std::optional<HqError>& refused) override;
    std::optional<CertificateOrder> order(const std::string& id) override;
    /// Claims up to limit due orders for this instance (see the class comment).
    std::vector<CertificateOrder> due_orders(TimePoint now, size_t limit) override;
    /// Saves the order and releases its claim. Throws std::runtime_error if another instance has
    /// claimed it since (this instance's lease ran out): that instance's progress wins.
    void update_order(const CertificateOrder& order) override;
    size_t withdraw_name(const std::string& home, const std::string& label, const std::string& name,
                         rca::RevocationReason reason, TimePoint now) override;
    // Router credentials: postgres_router_credentials.cpp.
    RouterImport import_routers(const std::vector<RouterCredential>& routers,
                                TimePoint now) override;
    std::optional<RouterCredential> router(const std::string& id) override;
    bool revoke_router(const std::string& id, TimePoint now) override;
    bool bind_router(const std::string& id, const std::string& home) override;
    std::optional<RouterCredential> router_of_home(const std::string& home) override;

  private:
    pg::Pool pool_;
    std::string instance_;
    std::chrono::milliseconds lease_;
};

}  // namespace hq
