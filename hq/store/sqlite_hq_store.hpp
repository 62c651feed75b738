#pragma once
// HqStore on SQLite: one file, one connection, serialised by a mutex; for one HQ process. Several
// HQ instances need a shared store (PostgreSQL, docs/hq.md).
#include <mutex>

#include "hq/core/hq_store.hpp"
#include "store/sqlite_handle.hpp"

namespace hq {

class SqliteHqStore final : public HqStore {
  public:
    /// Opens (creating if missing) and migrates the database at path (":memory:" for tests).
    explicit SqliteHqStore(const std::string& path);

    /// The schema version this binary writes.
    static int schema_version();

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
    std::vector<CertificateOrder> due_orders(TimePoint now, size_t limit) override;
    void update_order(const CertificateOrder& order) override;
    size_t withdraw_name(const std::string& home, const std::string& label, const std::string& name,
                         rca::RevocationReason reason, TimePoint now) override;
    // Router credentials: sqlite_router_credentials.cpp.
    RouterImport import_routers(const std::vector<RouterCredential>& routers,
                                TimePoint now) override;
    std::optional<RouterCredential> router(const std::string& id) override;
    bool revoke_router(const std::string& id, TimePoint now) override;
    bool bind_router(const std::string& id, const std::string& home) override;
    std::optional<RouterCredential> router_of_home(const std::string& home) override;

  private:
    std::mutex mutex_;
    rca::sqlite::Connection db_;
};

}  // namespace hq
