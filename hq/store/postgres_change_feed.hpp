#pragma once
// How an hq instance's zone follows changes made through the other instances sharing its
// PostgreSQL database: the store announces every record and challenge change on kZoneChannel
// (NOTIFY, delivered at commit, naming the home changed), and this feed LISTENs on its own
// connection and calls on_homes with the homes changed in each burst (republish those homes
// only). A full rebuild (on_resync) every `rebuild_every`, and one after every reconnect, are the
// safety net for notifications lost while the connection was down.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "hq/store/pg_connection.hpp"

namespace hq {

class PostgresChangeFeed {
  public:
    /// The homes whose records or challenges another instance changed.
    using HomesChanged = std::function<void(const std::set<std::string>& homes)>;
    /// Listens with conninfo; `instance` tells this feed's round trips and changes from other
    /// instances'. on_homes is called on the feed's thread, as is on_resync (rebuild everything).
    PostgresChangeFeed(std::string conninfo, std::string instance,
                       std::chrono::seconds rebuild_every, HomesChanged on_homes,
                       std::function<void()> on_resync);
    /// Stops and joins the thread.
    ~PostgresChangeFeed();
    PostgresChangeFeed(const PostgresChangeFeed&) = delete;
    PostgresChangeFeed& operator=(const PostgresChangeFeed&) = delete;

    /// Connects and LISTENs now (throws std::runtime_error if it cannot), then starts the thread.
    void start();
    /// Stops the thread; idempotent.
    void stop();
    /// Sends a notification of its own and waits until it comes back through the server. NOTIFYs
    /// reach every listener in commit order, so on return every change committed before the call
    /// has been sent to every instance's feed. False when it did not come back within timeout.
    bool round_trip(std::chrono::milliseconds timeout);

  private:
    void run();
    void listen_on(pg::Connection& db);
    // Reads what arrived: the homes other instances changed (round trips change nothing).
    std::set<std::string> drain();

    std::string conninfo_;
    std::string instance_;
    std::chrono::seconds rebuild_every_;
    HomesChanged on_homes_;
    std::function<void()> on_resync_;
    std::unique_ptr<pg::Connection> listener_;  // the thread's own once started

    std::mutex mutex_;  // guards the fields below and the sender connection
    std::condition_variable heard_changed_;
    std::unique_ptr<pg::Connection> sender_;
    uint64_t sent_ = 0;   // round trips sent
    uint64_t heard_ = 0;  // the highest round trip heard back
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace hq
