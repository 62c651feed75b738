#pragma once
// HQ's persistence, declared by its consumer (house style #4). hq/store/sqlite_hq_store.* is the
// embedded implementation; a PostgreSQL one can follow behind the same interface, claiming orders
// with SELECT ... FOR UPDATE SKIP LOCKED (docs/hq.md). Every method is one transaction: a call
// that throws has changed nothing. Implementations are safe to call from several threads.
#include <optional>
#include <string>
#include <vector>

#include "hq/core/hq_types.hpp"
#include "hq/core/order_limits.hpp"
#include "hq/core/router_credential.hpp"

namespace hq {

/// What insert_home did.
enum class HomeInsert {
    inserted,
    name_taken,
    token_taken,
    router_refused,  ///< the router is unknown or revoked
    too_soon,        ///< the router made a new home less than kNewHomeInterval ago
};
/// What insert_order_within did.
enum class OrderInsert { inserted, over_limit };

/// What import_routers did: either how many routers it added (and found already known with the
/// same hash), or the id it refused because HQ holds it with another hash (nothing imported).
struct RouterImport {
    size_t added = 0;
    size_t unchanged = 0;
    std::string conflict;  ///< non-empty: the import was refused, nothing changed
};

class HqStore {
  public:
    virtual ~HqStore() = default;

    /// The home registered with this token hash, if any.
    virtual std::optional<Home> home_by_token(const Bytes& token_hash) = 0;
    /// The home of this name, if any.
    virtual std::optional<Home> home_by_name(const std::string& name) = 0;
    /// Adds home and its first record and makes it router's one home (its last_new_home_at
    /// becoming home.created_at), all in one transaction, unless the name or the token is already
    /// held (two routers registering at once: the loser retries with another name or reads the
    /// winner's home), the router is unknown or revoked, or it made a new home less than
    /// kNewHomeInterval before home.created_at (docs/hq.md, "One new home a day").
    virtual HomeInsert insert_home(const Home& home, const HomeRecord& first_record,
                                   const std::string& router) = 0;

    /// Sets (adds or replaces) the A record of record.label in record.home.
    virtual void put_record(const HomeRecord& record) = 0;
    /// Every record of every home, for the zone.
    virtual std::vector<HomeRecord> records() = 0;
    /// The records of one home, for its shard of the zone (a write republishes only its home).
    virtual std::vector<HomeRecord> records_of(const std::string& home) = 0;

    /// Adds a challenge TXT record (kept until remove_challenges for its order).
    virtual void put_challenge(const ChallengeTxt& challenge) = 0;
    /// Removes the challenge records of an order.
    virtual void remove_challenges(const std::string& order_id) = 0;
    /// Every challenge record, for the zone.
    virtual std::vector<ChallengeTxt> challenges() = 0;
    /// The challenge records of one home's orders, for its shard of the zone.
    virtual std::vector<ChallengeTxt> challenges_of(const std::string& home) = 0;

    /// Adds order unless, counted in the same transaction, its home is at a limit (orders of the
    /// home created after week_start count towards max_per_week); `refused` then says which.
    virtual OrderInsert insert_order_within(const CertificateOrder& order,
                                            const OrderLimits& limits, TimePoint week_start,
                                            std::optional<HqError>& refused) = 0;
    /// The order with this id, if any.
    virtual std::optional<CertificateOrder> order(const std::string& id) = 0;
    /// Up to limit pending or revoking orders due at now (next_attempt_at <= now), oldest first,
    /// for one worker. The SQLite store serves one process, whose single worker thread calls
    /// this; a shared store must lock what it returns (FOR UPDATE SKIP LOCKED) so no order is
    /// worked twice.
    virtual std::vector<CertificateOrder> due_orders(TimePoint now, size_t limit) = 0;
    /// Saves the order's progress (everything but its id, home, name, CSR, creation time and
    /// revoke_reason). An order saved as freshly issued (issued, no problem) whose name was
    /// withdrawn meanwhile is saved as revoking instead, due now: a withdrawal that came while
    /// the worker held the order is not lost.
    virtual void update_order(const CertificateOrder& order) = 0;

    /// The home withdraws a name (<label>.<home>.<ZONE> is `name`), all in one transaction: its
    /// record goes, its issued certificates become revoking for `reason` (due at now; one whose
    /// revocation the CA refused is tried again), and its pending orders not yet marked are marked
    /// with `reason` (OrderWorker gives them up, or revokes them once issued). Orders already
    /// revoking, revoked or failed are left alone. Returns the orders marked or made revoking.
    virtual size_t withdraw_name(const std::string& home, const std::string& label,
                                 const std::string& name, rca::RevocationReason reason,
                                 TimePoint now) = 0;

    // Router credentials (router_credential.hpp); stored in their own table, migrations named
    // router_credentials.

    /// Adds the routers of a factory list, all or none: a router already known with the same
    /// hash is left as it is (a list imported twice changes nothing, and a revoked router stays
    /// revoked); one known with another hash refuses the whole import (a secret is never
    /// replaced behind the operator's back).
    virtual RouterImport import_routers(const std::vector<RouterCredential>& routers,
                                        TimePoint now) = 0;
    /// The router with this id, if any.
    virtual std::optional<RouterCredential> router(const std::string& id) = 0;
    /// Revokes the router at now (a revoked one stays revoked, its first time kept); false when
    /// HQ does not know the id.
    virtual bool revoke_router(const std::string& id, TimePoint now) = 0;
    /// Makes home the router's one home, taking it from any other router that held it; false
    /// (and nothing changed) when the router is unknown or revoked, or when the router holding
    /// home was revoked (a revoked router's home is not taken over by its token: docs/hq.md).
    virtual bool bind_router(const std::string& id, const std::string& home) = 0;
    /// The router that holds home, if any.
    virtual std::optional<RouterCredential> router_of_home(const std::string& home) = 0;
};

}  // namespace hq
