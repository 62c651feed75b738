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
// zone_change_payload(instance, home), "change <instance> <home>".
const std::string kRoundTrip = "round-trip ";
const std::string kChange = "change ";

}  // namespace

PostgresChangeFeed::PostgresChangeFeed(std::string conninfo, std::string instance,
                                       std::chrono::seconds rebuild_every, HomesChanged on_homes,
                                       std::function<void()> on_resync)
    : conninfo_(std::move(conninfo)),
      instance_(std::move(instance)),
      rebuild_every_(rebuild_every),
      on_homes_(std::move(on_homes)),
      on_resync_(std::move(on_resync)) {}

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
    return heard_changed_.wait_for(lock, timeout, [this, number] {
        return heard_ >= number || stopping_;
    }) && heard_ >= number;
}

std::set<std::string> PostgresChangeFeed::drain() {
    std::set<std::string> homes;
    PGconn* conn = listener_->raw();
    if (PQconsumeInput(conn) == 0) return homes;  // broken; run() sees it through healthy()
    uint64_t heard = 0;
    const std::string mine = kRoundTrip + instance_ + " ";
    while (PGnotify* n = PQnotifies(conn)) {
        const std::string payload = n->extra ? n->extra : "";
        PQfreemem(n);
        if (payload.rfind(mine, 0) == 0) {
            heard = std::max<uint64_t>(heard, std::stoull(payload.substr(mine.size())));
        } else if (payload.rfind(kChange, 0) == 0) {
            // The home is the last word; an instance name may hold spaces, a home never does.
            const size_t space = payload.rfind(' ');
            const std::string home = payload.substr(space + 1);
            if (space > kChange.size() && payload != zone_change_payload(instance_, home))
                homes.insert(home);  // another instance's change
        }
    }
    if (heard > 0) {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            heard_ = std::max(heard_, heard);
        }
        heard_changed_.notify_all();
    }
    return homes;
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
                on_resync_();
                next_rebuild = std::chrono::steady_clock::now() + rebuild_every_;
                continue;
            }
            pollfd fd{PQsocket(listener_->raw()), POLLIN, 0};
            if (::poll(&fd, 1, kPollMillis) > 0) {
                const auto homes = drain();
                if (!homes.empty()) on_homes_(homes);
            }
            if (std::chrono::steady_clock::now() >= next_rebuild) {
                on_resync_();
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
