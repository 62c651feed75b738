#pragma once
// What the DNS servers have done, counted without locks so the query path stays cheap.
#include <atomic>
#include <cstdint>

#include "dns/answer_query.hpp"

namespace rca::dns {

/// A snapshot of the counters, for logs, status and tests.
struct DnsStats {
    uint64_t queries = 0;       ///< messages received (UDP datagrams and TCP messages)
    uint64_t noerror = 0;       ///< answered NOERROR (with data or NODATA)
    uint64_t nxdomain = 0;      ///< answered NXDOMAIN
    uint64_t refused = 0;       ///< answered REFUSED (outside our zones)
    uint64_t formerr = 0;       ///< answered FORMERR (malformed)
    uint64_t notimp = 0;        ///< answered NOTIMP (opcode other than QUERY)
    uint64_t badvers = 0;       ///< answered BADVERS (EDNS version above 0)
    uint64_t dropped = 0;       ///< not answered (too short, a response)
    uint64_t truncated = 0;     ///< answered over UDP with TC set
    uint64_t tcp_accepted = 0;  ///< TCP connections served
    uint64_t tcp_rejected = 0;  ///< TCP connections closed at once: the limit was reached
    uint64_t tcp_timeouts = 0;  ///< TCP connections closed for idling or a stalled message
};

/// The live counters, shared by the UDP and TCP responders.
class DnsCounters {
  public:
    /// Counts one received message and what was done with it.
    void count(const DnsReply& reply);
    /// Counts one TCP connection event.
    void tcp_accepted() { bump(tcp_accepted_); }
    /// Counts a TCP connection refused for the limit.
    void tcp_rejected() { bump(tcp_rejected_); }
    /// Counts a TCP connection closed by the timeout.
    void tcp_timeout() { bump(tcp_timeouts_); }
    /// A consistent-enough copy (each counter read once, relaxed).
    DnsStats snapshot() const;

  private:
    static void bump(std::atomic<uint64_t>& c) { c.fetch_add(1, std::memory_order_relaxed); }

    std::atomic<uint64_t> queries_{0}, noerror_{0}, nxdomain_{0}, refused_{0}, formerr_{0},
        notimp_{0}, badvers_{0}, dropped_{0}, truncated_{0}, tcp_accepted_{0}, tcp_rejected_{0},
        tcp_timeouts_{0};
};

}  // namespace rca::dns
