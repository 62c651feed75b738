#pragma once
// The whole of answering one DNS message, with no I/O: bytes in, bytes out (or silence). The UDP
// and TCP servers call it, and so can a fuzzer.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/zone_set.hpp"
#include "dns/response_cache.hpp"

namespace rca::dns {

/// How the message arrived; it decides how large the response may be.
enum class Transport { udp, tcp };

/// The outcome of answering one message.
struct DnsReply {
    std::vector<uint8_t> wire;  ///< the response; empty when drop
    bool drop = false;          ///< send nothing (and over TCP, close the connection)
    uint16_t rcode = 0;         ///< the (extended) RCODE sent
    bool truncated = false;     ///< TC set because the answer did not fit
};

/// The response limit for a UDP query: 512 without EDNS, else its payload size clamped to
/// 512..1232 (RFC 6891 §6.2.5).
size_t udp_response_limit(bool edns, uint16_t udp_size);

/// Answers one received message from zones: drops what must not be answered, FORMERR for a
/// malformed query, NOTIMP for opcodes other than QUERY, BADVERS for EDNS versions above 0, and
/// otherwise the zones' answer, fitted to the transport.
DnsReply answer_query(const ZoneSet& zones, const uint8_t* packet, size_t length,
                      Transport transport);

/// The same, answering repeated questions from cache (emptied whenever zones is a new
/// snapshot): byte for byte the response answer_query(*zones, ...) gives.
DnsReply answer_query(const std::shared_ptr<const ZoneSet>& zones, const uint8_t* packet,
                      size_t length, Transport transport, ResponseCache& cache);

/// The cached answer_query for a server thread: an exception (allocation failure, or a bug)
/// drops the message instead of ending the thread, so one bad packet cannot stop the responder.
DnsReply answer_safely(const std::shared_ptr<const ZoneSet>& zones, const uint8_t* packet,
                       size_t length, Transport transport, ResponseCache& cache) noexcept;

}  // namespace rca::dns
