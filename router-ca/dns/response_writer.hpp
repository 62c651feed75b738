#pragma once
// Builds response messages with libldns (which also compresses names, RFC 1035 §4.1.4) and fits
// them to the size the transport allows, truncating the way RFC 2181 §9 asks.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/zone_record.hpp"
#include "dns/query_parser.hpp"
#include "dns/response_layout.hpp"

namespace rca::dns {

/// The UDP payload size router-ca advertises and never exceeds: 1232 octets, the DNS Flag Day
/// 2020 value that avoids IP fragmentation on any path with an IPv6 minimum MTU.
inline constexpr size_t kUdpPayloadCap = 1232;
/// Every UDP requestor may receive 512 octets (RFC 1035 §4.2.1; RFC 6891 §6.2.5 floor).
inline constexpr size_t kUdpPayloadFloor = 512;
/// The most a TCP message can carry behind its 2-octet length (RFC 1035 §4.2.2).
inline constexpr size_t kTcpMessageMax = 65535;

/// BADVERS, an extended RCODE needing the OPT record's upper bits (RFC 6891 §9).
inline constexpr uint16_t kRcodeBadvers = 16;

/// A response ready to send.
struct WrittenResponse {
    std::vector<uint8_t> wire;
    bool truncated = false;  ///< TC was set: the answer did not fit in max_size
    ResponseLayout layout;   ///< where the question's name and the DO bit were written
};

/// A response of header (and, when query.has_question, question) only, with rcode (0-4095);
/// OPT included when the query had one. For FORMERR, NOTIMP, BADVERS and REFUSED.
WrittenResponse write_bare_response(const ParsedQuery& query, uint16_t rcode, bool authoritative);

/// The response carrying a zone's answer, at most max_size octets: additional records are dropped
/// first (no TC, RFC 2181 §9), then answer and authority with TC set.
WrittenResponse write_zone_response(const ParsedQuery& query, const ZoneAnswer& answer,
                                    size_t max_size);

}  // namespace rca::dns
