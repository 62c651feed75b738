#pragma once
// The router's publicly trusted certificate for router.<home>.<ZONE> (issue 6, docs/hq.md
// "Router side"): its key is made here (P-256, 0600, never logged), its CSR goes to HQ, HQ's
// order is polled, and the chain is stored atomically in DATA/hq and served by SNI beside the
// local certificate. Renewed in the last third of its life. Runs as one of the HQ link's duties,
// on the link's thread.
#include <botan/pk_keys.h>
#include <botan/rng.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/public_home.hpp"
#include "core/time_source.hpp"
#include "daemon/hq_client.hpp"
#include "daemon/sni_identity.hpp"
#include "files/data_paths.hpp"

namespace rca {

/// The first wait before polling a pending order: HQ's DNS-01 order with a public CA usually
/// takes seconds. Each further poll of the same order waits twice as long (or as long as HQ's
/// Retry-After says), up to kPublicOrderLongestPoll: HQ keeps orders pending while the public CA
/// is down, possibly for hours.
inline constexpr std::chrono::seconds kPublicOrderPoll{2};
inline constexpr std::chrono::seconds kPublicOrderLongestPoll{5 * 60};
/// An order still pending this long after it was placed is given up as a refusal (then asked
/// again after kPublicOrderRetry): Let's Encrypt's authorizations for pending orders last 7 days,
/// but a day without issuance means something is wrong at HQ or the CA.
inline constexpr std::chrono::hours kPublicOrderGiveUp{24};
/// How long after a refused or failed order the router asks again: HQ said no (a per-home limit,
/// the CA's refusal), and asking at once would only spend the vendor's limits.
inline constexpr std::chrono::hours kPublicOrderRetry{1};

class RouterPublicCertificate {
  public:
    /// Keeps paths.public_cert()/public_key(), ordering through client, serving through sni.
    RouterPublicCertificate(const DataPaths& paths, const HqClient& client, SniIdentity& sni,
                            const TimeSource& clock, Botan::RandomNumberGenerator& rng);
    ~RouterPublicCertificate();

    /// At start, before HQ answers: serves the stored certificate for `home`'s router name, if it
    /// is still valid (HQ may be down; the next maintain() takes over).
    void serve_stored_at_start(const PublicHome& home);
    /// One step (an HqLinkDuty): install what is stored, order, poll or store; returns when to
    /// run again, or an error sentence when HQ could not be reached or failed.
    BasicResult<TimePoint, std::string> maintain(const HomeRegistration& registration);
    /// The status's "router_certificate": name, state (none, pending, installed), not_after,
    /// and the last refusal's detail.
    nlohmann::json status_json() const;

  private:
    BasicResult<TimePoint, std::string> order(const HomeRegistration& registration,
                                              const std::string& name, TimePoint now);
    BasicResult<TimePoint, std::string> poll(const std::string& name, TimePoint now);
    std::optional<TimePoint> serve_stored(const std::string& name);
    /// Moves a staged key and chain in place, or drops them when incomplete.
    void finish_staged_switch();
    /// Stops serving an installed certificate that no longer fits name (expired, other home).
    void withdraw(const std::string& name);
    TimePoint refused(const std::string& detail, TimePoint now);
    /// The wait before the next poll of the pending order, given HQ's Retry-After, if any.
    std::chrono::seconds next_poll(std::optional<std::chrono::seconds> retry_after);

    const DataPaths& paths_;
    const HqClient& client_;
    SniIdentity& sni_;
    const TimeSource& clock_;
    Botan::RandomNumberGenerator& rng_;

    // The order in progress: its id at HQ and the key its CSR carries (kept in memory only; a
    // restart orders again, well within HQ's per-home limits).
    std::string order_id_;
    std::unique_ptr<Botan::Private_Key> pending_key_;
    TimePoint ordered_at_{};  ///< when the order in progress was placed
    int polls_ = 0;           ///< polls of the order in progress so far
    TimePoint retry_at_{};    ///< after a refusal, no new order before this

    mutable std::mutex mutex_;  // the status, read from other threads
    std::string name_;
    std::string state_ = "none";
    std::string not_after_;
    std::string detail_;
};

}  // namespace rca
