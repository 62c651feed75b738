#pragma once
// DNS over TCP (RFC 7766): one thread runs a poll() loop over the listening socket and a bounded
// set of non-blocking connections, so a slow or silent client costs a slot, never a thread, and
// never delays UDP. Each message is framed by a 2-octet length (RFC 1035 §4.2.2); several queries
// may share a connection and are answered in order.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>
#include <vector>

#include "core/zone_holder.hpp"
#include "dns/dns_counters.hpp"
#include "dns/socket_fd.hpp"
#include "net/connection_limiter.hpp"

namespace rca::dns {

/// Bounds on TCP clients.
struct TcpLimits {
    /// Connections served at once; more are accepted and closed at once (RFC 7766 §6.2.2 asks
    /// servers to protect themselves this way). 64 is plenty for one home behind dnsmasq.
    size_t max_connections = 64;
    /// Connections one client address may hold of those, so that one host cannot take them all
    /// (RFC 7766 §6.2.2 also suggests a per-client limit). 24: dnsmasq, forwarding the home zone
    /// from 127.0.0.1, runs at most 20 TCP children (its MAX_PROCS).
    size_t per_address = 24;
    /// A connection must deliver its next complete query within this time of being opened or of
    /// its last query, else it is closed: RFC 7766 §6.2.3 suggests "a few seconds", and a
    /// per-message deadline (not per byte) defeats a client that trickles one byte at a time.
    std::chrono::milliseconds idle_timeout{5000};
};

/// Answers queries on one listening TCP socket.
class TcpResponder {
  public:
    /// Serves listener (bound, listening, non-blocking) from zones, caching up to cache_entries
    /// responses; counts into counters.
    TcpResponder(SocketFd listener, const ZoneHolder& zones, DnsCounters& counters,
                 TcpLimits limits, size_t cache_entries);
    /// Stops and joins the thread; closes every connection.
    ~TcpResponder();
    TcpResponder(const TcpResponder&) = delete;
    TcpResponder& operator=(const TcpResponder&) = delete;

    /// Starts the serving thread.
    void start();
    /// Stops the thread, waits for it and closes the socket; idempotent.
    void stop();

  private:
    using Clock = std::chrono::steady_clock;
    struct Connection {
        std::optional<ConnectionLimiter::Slot> slot;  // freed after fd below is closed
        SocketFd fd;
        std::vector<uint8_t> in;   // received, not yet answered
        std::vector<uint8_t> out;  // answers not yet sent
        size_t out_sent = 0;
        Clock::time_point deadline;
        bool peer_closed = false;
        bool closed = false;
    };

    void run();
    void accept_all(Clock::time_point now);
    void read_from(Connection& c, Clock::time_point now);
    void answer_buffered(Connection& c, Clock::time_point now);
    void write_to(Connection& c);

    SocketFd listener_;
    SocketFd wake_;
    const ZoneHolder& zones_;
    DnsCounters& counters_;
    TcpLimits limits_;
    ConnectionLimiter limiter_;
    ResponseCache cache_;  // used by the serving thread only
    std::vector<Connection> connections_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace rca::dns
