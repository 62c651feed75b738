#pragma once
// The router's link to the vendor's HQ (issue 6, docs/hq.md): on its own thread, so that DNS,
// HTTPS and pairing never wait on the internet. It makes and keeps DATA/hq/token, registers the
// home (again every kHqRegistrationInterval, and after a failure: registration is idempotent),
// fills the PublicHomeHolder, and keeps HQ's records current for every unrevoked device with a
// private address; a revoked device's name it withdraws at HQ, which revokes the name's public
// certificates (once per revocation, kept in the store). While HQ is unreachable it retries with
// backoff (core/hq_schedule) and the status says since when and why.
#include <botan/rng.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "core/home_policy.hpp"
#include "core/public_home.hpp"
#include "core/store.hpp"
#include "core/time_source.hpp"
#include "daemon/hq_client.hpp"
#include "files/data_paths.hpp"

namespace rca {

/// One more thing the link keeps current once the home is registered (the router's own public
/// certificate): called on the link's thread with the registration; returns when it wants to run
/// again, or an error sentence (HQ failed: the link backs off and registers again first).
using HqLinkDuty = std::function<BasicResult<TimePoint, std::string>(const HomeRegistration&)>;

class HqLink {
  public:
    /// A link to `client`'s HQ for the home whose router answers at router_address (registered
    /// as router.<home>.<ZONE>); `home_changed` runs on the link's thread whenever the holder
    /// changes. Reads or makes the token at once: throws std::runtime_error naming the file
    /// when it cannot (a start-up failure, like an unreadable CA). The home registered before
    /// the last stop, if any, is put in the holder at once (HQ may be down now).
    HqLink(const HqClient& client, const DataPaths& paths, Store& store, PublicHomeHolder& holder,
           Ipv4 router_address, const TimeSource& clock, Botan::RandomNumberGenerator& rng,
           std::function<void()> home_changed);
    /// Stops the thread.
    ~HqLink();
    HqLink(const HqLink&) = delete;
    HqLink& operator=(const HqLink&) = delete;

    /// Adds a duty (before start()).
    void add_duty(HqLinkDuty duty);
    /// Starts the link's thread; the first attempt is made at once.
    void start();
    /// Stops and joins the thread; idempotent.
    void stop();
    /// Devices changed (enrolled, renamed, moved, revoked): HQ's records are brought up to date
    /// soon, on the link's thread.
    void devices_changed();

    /// HQ refused the router's credential or home (`why`, e.g. after HQ lost its database): the
    /// link registers again at once, on its thread.
    void reregister_now(const std::string& why);
    /// The registration when the home is registered and HQ answers, else a sentence saying why
    /// not (for a 503 answer to a device at once, rather than a wait on an HQ that is failing).
    BasicResult<HomeRegistration, std::string> registration() const;
    /// Sets label's record at HQ now (a device about to ask for its public certificate).
    std::optional<std::string> put_record_now(const std::string& label, Ipv4 address);
    /// A call relayed for a device could not reach HQ (`error`): the link counts it as its own
    /// failure, so later device calls are answered at once until the link reaches HQ again.
    void relay_failed(const std::string& error);
    /// The "public" part of the status (docs/admin-api.md).
    nlohmann::json status_json() const;
    /// The client for calls relayed for devices (kHqRelayTimeoutSeconds).
    const HqClient& relay_client() const { return relay_client_; }

  private:
    void run();
    std::optional<std::string> attempt(TimePoint now);
    std::optional<std::string> register_home();
    std::optional<std::string> push_records(const HomeRegistration& registration);
    /// Withdraws at HQ the names of revoked devices not yet withdrawn (Store::withdrawals_due).
    std::optional<std::string> withdraw_revoked(const HomeRegistration& registration);
    /// Why a record was not set: HQ itself failed (unreachable, 5xx, the home's credential
    /// refused), or HQ refused this one record (another 4xx), which fails no other record.
    struct RecordFailure {
        std::string error;
        bool link_failed;
    };
    /// PUTs label's record unless HQ already has that address.
    std::optional<RecordFailure> put_record(const HqClient& client,
                                            const HomeRegistration& registration,
                                            const std::string& label, const std::string& address);
    void failed(const std::string& error, TimePoint now);

    const HqClient& client_;
    const HqClient relay_client_;
    const std::string home_path_;
    Store& store_;
    PublicHomeHolder& holder_;
    const Ipv4 router_address_;
    const TimeSource& clock_;
    std::function<void()> home_changed_;
    std::string token_;
    std::vector<HqLinkDuty> duties_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool records_dirty_ = true;
    std::optional<HomeRegistration> registration_;
    std::optional<TimePoint> registered_at_;
    TimePoint next_registration_{};
    TimePoint next_duty_{};
    std::map<std::string, std::string> published_;                    ///< label -> address HQ has
    std::map<std::string, std::shared_ptr<std::mutex>> label_locks_;  ///< one PUT per label
    int failures_ = 0;
    std::optional<TimePoint> failing_since_;
    std::string last_error_;
    TimePoint next_attempt_{};
    std::thread thread_;
};

/// Reads the link's token from path, or makes one (128 bits from rng as 32 hex digits, the
/// form HQ accepts) and writes it there atomically with mode 0600. Throws std::runtime_error when
/// the file exists but is not such a token, or cannot be written.
std::string load_or_create_hq_token(const std::string& path, Botan::RandomNumberGenerator& rng);

}  // namespace rca
