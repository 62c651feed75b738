#include "dns/answer_query.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "core/zone_name.hpp"
#include "dns/query_parser.hpp"
#include "dns/response_layout.hpp"
#include "dns/response_writer.hpp"

namespace rca::dns {

namespace {

size_t response_limit(const ParsedQuery& q, Transport transport) {
    return transport == Transport::tcp ? kTcpMessageMax : udp_response_limit(q.edns, q.udp_size);
}

// The zones' answer to a well-formed query, and where its patchable octets are.
std::pair<DnsReply, ResponseLayout> zone_reply(const ZoneSet& zones, const ParsedQuery& q,
                                               Transport transport) {
    const ZoneAnswer answer = zones.answer(Question{q.qname_text, q.qtype, q.qclass});
    WrittenResponse written = write_zone_response(q, answer, response_limit(q, transport));
    DnsReply reply;
    reply.rcode = static_cast<uint16_t>(answer.rcode);
    reply.wire = std::move(written.wire);
    reply.truncated = written.truncated;
    return {std::move(reply), written.layout};
}

DnsReply reply_for(const ZoneSet& zones, const ParsedQuery& q, Transport transport) {
    DnsReply reply;
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
        case QueryVerdict::answer:
            return zone_reply(zones, q, transport).first;
    }
    reply.wire = std::move(written.wire);
    reply.truncated = written.truncated;
    return reply;
}

// What a cached response depends on besides the snapshot.
std::string cache_key(const ParsedQuery& q, size_t limit) {
    std::string key = canonical_name(q.qname_text);
    const uint8_t tail[] = {0,
                            static_cast<uint8_t>(q.qtype >> 8),
                            static_cast<uint8_t>(q.qtype),
                            static_cast<uint8_t>(q.qclass >> 8),
                            static_cast<uint8_t>(q.qclass),
                            static_cast<uint8_t>(limit >> 8),
                            static_cast<uint8_t>(limit),
                            static_cast<uint8_t>(q.edns)};
    key.append(reinterpret_cast<const char*>(tail), sizeof tail);
    return key;
}

// The response to q from a template built for the same question asked with ID 0 and RD, CD and
// DO clear (response_layout.hpp).
DnsReply from_template(const ResponseCache::Entry& entry, const ParsedQuery& q) {
    DnsReply reply;
    reply.rcode = entry.rcode;
    reply.truncated = entry.truncated;
    reply.wire = entry.wire;
    if (!patch_response(reply.wire, entry.layout, q))
        throw std::logic_error("a cached response does not fit the query it answers");
    return reply;
}

}  // namespace

size_t udp_response_limit(bool edns, uint16_t udp_size) {
    if (!edns) return kUdpPayloadFloor;
    return std::clamp<size_t>(udp_size, kUdpPayloadFloor, kUdpPayloadCap);
}

DnsReply answer_query(const ZoneSet& zones, const uint8_t* packet, size_t length,
                      Transport transport) {
    return reply_for(zones, parse_query(packet, length), transport);
}

DnsReply answer_query(const std::shared_ptr<const ZoneSet>& zones, const uint8_t* packet,
                      size_t length, Transport transport, ResponseCache& cache) {
    ParsedQuery q = parse_query(packet, length);
    if (q.verdict != QueryVerdict::answer) return reply_for(*zones, q, transport);
    cache.use(zones);
    const std::string key = cache_key(q, response_limit(q, transport));
    if (const ResponseCache::Entry* entry = cache.find(key)) return from_template(*entry, q);

    // Build the template with every per-query field cleared, keep it, then patch it like a hit.
    ParsedQuery blank = std::move(q);
    const uint16_t id = blank.id;
    const bool rd = blank.rd, cd = blank.cd, dnssec_ok = blank.dnssec_ok;
    blank.id = 0;
    blank.rd = blank.cd = blank.dnssec_ok = false;
    auto [built, layout] = zone_reply(*zones, blank, transport);
    ResponseCache::Entry entry{std::move(built.wire), layout, built.rcode, built.truncated};
    blank.id = id;
    blank.rd = rd;
    blank.cd = cd;
    blank.dnssec_ok = dnssec_ok;
    DnsReply reply = from_template(entry, blank);
    cache.store(key, std::move(entry));
    return reply;
}

DnsReply answer_safely(const std::shared_ptr<const ZoneSet>& zones, const uint8_t* packet,
                       size_t length, Transport transport, ResponseCache& cache) noexcept {
    try {
        return answer_query(zones, packet, length, transport, cache);
    } catch (...) {
        DnsReply dropped;
        dropped.drop = true;
        return dropped;
    }
}

}  // namespace rca::dns
