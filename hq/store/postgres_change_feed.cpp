#include "hq/store/postgres_change_feed.hpp"

#include <poll.h>

#include <algorithm>
#include <stdexcept>

#include "daemon/log.hpp"
#include "hq/store/postgres_hq_store.hpp"

namespace hq {
namespace {

// How often the thread looks at `stopping_` while no notification arrives.
constexpr int kPollMillis = 250;
// The wait before reconnecting after the listening connection broke.
constexpr std::chrono::seconds kReconnectDelay{1};
// Round-trip payloads are "round-trip <instance> <number>"; store changes send
// zone_change_payload(instance).
const std::string kRoundTrip = "round-trip ";

}  // namespace

PostgresChangeFeed::PostgresChangeFeed(std::string conninfo, std::string instance,
                                       std::chrono::seconds rebuild_every,
                                       std::function<void()> on_change)
    : conninfo_(std::move(conninfo)),
      instance_(std::move(instance)),
      rebuild_every_(rebuild_every),
      on_change_(std::move(on_change)) {}

PostgresChangeFeed::~PostgresChangeFeed() { stop(); }

void PostgresChangeFeed::listen_on(pg::Connection& db) {
    // LISTEN takes an identifier, not a parameter; kZoneChannel is a constant of ours.
    db.exec(std::string("LISTEN ") + kZoneChannel);
}

void PostgresChangeFeed::start() {
    listener_ = std::make_unique<pg::Connection>(conninfo_);
    listen_on(*listener_);
    sender_ = std::make_unique<pg::Connection>(conninfo_);
    thread_ = std::thread([this] { run(); });
}

void PostgresChangeFeed::stop() {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    heard_changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool PostgresChangeFeed::round_trip(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    const uint64_t number = ++sent_;
    try {
        if (!sender_ || !sender_->healthy()) sender_ = std::make_unique<pg::Connection>(conninfo_);
        sender_->exec("SELECT pg_notify($1, $2)",
                      pg::Params()
                          .add(std::string(kZoneChannel))
                          .add(kRoundTrip + instance_ + " " + std::to_string(number)));
    } catch (const std::exception& e) {
        rca::log_line(std::string("zone change feed: cannot send a round trip: ") + e.what());
        return false;
    }
    return heard_changed_.wait_for(lock, timeout,
                                   [this, number] { return heard_ >= number || stopping_; }) &&
           heard_ >= number;
}

bool PostgresChangeFeed::drain() {
    PGconn* conn = listener_->raw();
    if (PQconsumeInput(conn) == 0) return false;  // broken; run() sees it through healthy()
    bool changed = false;
    uint64_t heard = 0;
    const std::string mine = kRoundTrip + instance_ + " ";
    const std::string own_change = zone_change_payload(instance_);
    while (PGnotify* n = PQnotifies(conn)) {
        const std::string payload = n->extra ? n->extra : "";
        PQfreemem(n);
        if (payload.rfind(mine, 0) == 0)
            heard = std::max<uint64_t>(heard, std::stoull(payload.substr(mine.size())));
        else if (payload.rfind(kRoundTrip, 0) != 0 && payload != own_change)
            changed = true;  // another instance's change; round trips change nothing
    }
    if (heard > 0) {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            heard_ = std::max(heard_, heard);
        }
        heard_changed_.notify_all();
    }
    return changed;
}

void PostgresChangeFeed::run() {
    auto next_rebuild = std::chrono::steady_clock::now() + rebuild_every_;
    for (;;) {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_) return;
        }
        try {
            if (!listener_->healthy()) {
                // Notifications sent while the connection was down are lost: reconnect, listen
                // again, then rebuild in full.
                std::this_thread::sleep_for(kReconnectDelay);
                // Swapped in only once it listens: a connection that failed to LISTEN would
                // look healthy and never hear anything.
                auto fresh = std::make_unique<pg::Connection>(conninfo_);
                listen_on(*fresh);
                listener_ = std::move(fresh);
                rca::log_line("zone change feed: listening again");
                on_change_();
                next_rebuild = std::chrono::steady_clock::now() + rebuild_every_;
                continue;
            }
            pollfd fd{PQsocket(listener_->raw()), POLLIN, 0};
            if (::poll(&fd, 1, kPollMillis) > 0 && drain()) on_change_();
            if (std::chrono::steady_clock::now() >= next_rebuild) {
                on_change_();
                next_rebuild = std::chrono::steady_clock::now() + rebuild_every_;
            }
        } catch (const std::exception& e) {
            // A store failure while rebuilding, or the reconnect failing: log, and try again on
            // the next turn; the thread never ends before stop().
            rca::log_line(std::string("zone change feed: ") + e.what());
            std::this_thread::sleep_for(kReconnectDelay);
        }
    }
}

}  // namespace hq
