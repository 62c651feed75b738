#pragma once
// DNS over UDP (RFC 1035 §4.2.1): one thread reads datagrams, in batches when they queue up, and
// answers each at once. It never waits on TCP clients or on the store.
#include <atomic>
#include <thread>

#include "core/zone_holder.hpp"
#include "dns/dns_counters.hpp"
#include "dns/socket_fd.hpp"

namespace rca::dns {

/// Answers queries arriving on one bound UDP socket.
class UdpResponder {
  public:
    /// Serves socket (bound, non-blocking) from zones, caching up to cache_entries responses;
    /// counts into counters. zones and counters must outlive it.
    UdpResponder(SocketFd socket, const ZoneHolder& zones, DnsCounters& counters,
                 size_t cache_entries);
    /// Stops and joins the thread.
    ~UdpResponder();
    UdpResponder(const UdpResponder&) = delete;
    UdpResponder& operator=(const UdpResponder&) = delete;

    /// Starts the serving thread.
    void start();
    /// Stops the thread, waits for it and closes the socket; idempotent.
    void stop();

  private:
    void run();

    SocketFd socket_;
    SocketFd wake_;
    const ZoneHolder& zones_;
    DnsCounters& counters_;
    ResponseCache cache_;  // used by the serving thread only
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace rca::dns
