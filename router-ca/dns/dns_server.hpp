#pragma once
// The authoritative DNS server: UDP and TCP on one address and port, answering from whatever
// ZoneSet the holder has when each query arrives. Each transport has its own thread.
#include <memory>
#include <string>

#include "core/zone_holder.hpp"
#include "dns/dns_counters.hpp"
#include "dns/tcp_responder.hpp"

namespace rca::dns {

class UdpResponder;

/// Responses cached per serving thread: enough for every A and PTR question of a zone of a few
/// thousand devices plus misses; a full cache starts over. About 250 octets an entry when full.
inline constexpr size_t kDefaultResponseCacheEntries = 16384;

/// How the server treats its clients.
struct DnsServerOptions {
    TcpLimits tcp;                                        ///< TCP connection bounds
    size_t cache_entries = kDefaultResponseCacheEntries;  ///< per thread; 0 turns the cache off
};

/// UDP and TCP DNS service on host:port.
class DnsServer {
  public:
    /// Prepares to serve zones (which must outlive the server) on host (numeric IPv4 or IPv6)
    /// and port (0: any free port, the same for UDP and TCP). Binds nothing yet.
    DnsServer(const std::string& host, int port, const ZoneHolder& zones,
              DnsServerOptions options = {});
    /// Stops and joins both threads.
    ~DnsServer();
    DnsServer(const DnsServer&) = delete;
    DnsServer& operator=(const DnsServer&) = delete;

    /// Binds UDP and TCP and starts serving; throws std::system_error naming host:port when
    /// either cannot be bound, and std::logic_error when already started.
    void start();
    /// Stops serving and joins the threads; idempotent.
    void stop();
    /// The port being served (the one chosen when constructed with 0); valid after start().
    int port() const { return port_; }
    /// The counters so far.
    DnsStats stats() const { return counters_.snapshot(); }

  private:
    std::string host_;
    int port_;
    const ZoneHolder& zones_;
    DnsServerOptions options_;
    DnsCounters counters_;
    std::unique_ptr<UdpResponder> udp_;
    std::unique_ptr<TcpResponder> tcp_;
};

}  // namespace rca::dns
