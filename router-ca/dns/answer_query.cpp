#include "dns/answer_query.hpp"

#include <algorithm>

#include "dns/query_parser.hpp"
#include "dns/response_writer.hpp"

namespace rca::dns {

size_t udp_response_limit(bool edns, uint16_t udp_size) {
    if (!edns) return kUdpPayloadFloor;
    return std::clamp<size_t>(udp_size, kUdpPayloadFloor, kUdpPayloadCap);
}

DnsReply answer_query(const ZoneSet& zones, const uint8_t* packet, size_t length,
                      Transport transport) {
    DnsReply reply;
    const ParsedQuery q = parse_query(packet, length);
    WrittenResponse written;
    switch (q.verdict) {
        case QueryVerdict::drop:
            reply.drop = true;
            return reply;
        case QueryVerdict::formerr:
            reply.rcode = static_cast<uint16_t>(Rcode::formerr);
            written = write_bare_response(q, reply.rcode, false);
            break;
        case QueryVerdict::notimp:
            reply.rcode = static_cast<uint16_t>(Rcode::notimp);
            written = write_bare_response(q, reply.rcode, false);
            break;
        case QueryVerdict::badvers:
            reply.rcode = kRcodeBadvers;
            written = write_bare_response(q, reply.rcode, false);
            break;
        case QueryVerdict::answer: {
            const ZoneAnswer answer = zones.answer(Question{q.qname_text, q.qtype, q.qclass});
            reply.rcode = static_cast<uint16_t>(answer.rcode);
            const size_t limit = transport == Transport::tcp
                                     ? kTcpMessageMax
                                     : udp_response_limit(q.edns, q.udp_size);
            written = write_zone_response(q, answer, limit);
            break;
        }
    }
    reply.wire = std::move(written.wire);
    reply.truncated = written.truncated;
    return reply;
}

DnsReply answer_safely(const ZoneSet& zones, const uint8_t* packet, size_t length,
                       Transport transport) noexcept {
    try {
        return answer_query(zones, packet, length, transport);
    } catch (...) {
        DnsReply dropped;
        dropped.drop = true;
        return dropped;
    }
}

}  // namespace rca::dns
