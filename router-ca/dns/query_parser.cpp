#include "dns/query_parser.hpp"

#include <algorithm>

#include "dns/wire_name.hpp"

namespace rca::dns {

namespace {

constexpr size_t kHeaderSize = 12;
constexpr uint16_t kTypeOpt = 41;
constexpr uint8_t kOpcodeQuery = 0;

uint16_t read16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

// The outcome of walking the message's body.
struct Walk {
    bool ok = false;
    size_t question_pos = 0;  // where the first question's name starts
    size_t question_end = 0;  // one past its last octet on the wire
};

// Walks every section; records the OPT's fields into q. Fails on anything malformed.
Walk walk_message(const uint8_t* wire, size_t length, ParsedQuery& q) {
    Walk walk;
    const uint16_t counts[4] = {read16(wire + 4), read16(wire + 6), read16(wire + 8),
                                read16(wire + 10)};
    size_t pos = kHeaderSize;
    for (uint16_t i = 0; i < counts[0]; ++i) {
        if (i == 0) walk.question_pos = pos;
        if (!skip_wire_name(wire, length, pos) || pos + 4 > length) return walk;
        if (i == 0) walk.question_end = pos;
        pos += 4;  // QTYPE, QCLASS
    }
    for (int section = 1; section < 4; ++section) {
        for (uint16_t i = 0; i < counts[section]; ++i) {
            const size_t owner = pos;
            if (!skip_wire_name(wire, length, pos) || pos + 10 > length) return walk;
            const uint16_t type = read16(wire + pos);
            const size_t rdlength = read16(wire + pos + 8);
            const size_t rdata = pos + 10;
            if (rdata + rdlength > length) return walk;
            if (type == kTypeOpt) {
                // RFC 6891 §6.1.1: one OPT at most, in the additional section, owned by the root.
                if (section != 3 || q.edns || wire[owner] != 0) return walk;
                // Its options must exactly fill its RDATA (RFC 6891 §6.1.2).
                size_t o = rdata;
                while (o < rdata + rdlength) {
                    if (o + 4 > rdata + rdlength) return walk;
                    o += 4 + read16(wire + o + 2);
                }
                if (o != rdata + rdlength) return walk;
                q.edns = true;
                q.udp_size = read16(wire + pos + 2);
                q.edns_version = wire[pos + 5];
                q.dnssec_ok = (wire[pos + 6] & 0x80) != 0;
            }
            pos = rdata + rdlength;
        }
    }
    // Trailing bytes make the counts a lie: FORMERR rather than a guess (libldns ignores them).
    walk.ok = pos == length;
    return walk;
}

}  // namespace

ParsedQuery parse_query(const uint8_t* wire, size_t length) {
    ParsedQuery q;
    // Too short to hold a header: we cannot even tell a query from a response, so stay silent.
    if (length < kHeaderSize) return q;
    q.id = read16(wire);
    // Never answer a response: two responders would bounce it back and forth (and it is what a
    // reflection attack sends).
    if (wire[2] & 0x80) return q;
    q.opcode = (wire[2] >> 3) & 0x0f;
    q.rd = (wire[2] & 0x01) != 0;
    q.cd = (wire[3] & 0x10) != 0;

    const Walk walk = walk_message(wire, length, q);
    const uint16_t qdcount = read16(wire + 4);
    if (walk.ok && qdcount == 1) {
        size_t pos = walk.question_pos;
        ldns_rdf* name = nullptr;
        // The first name of a message has nothing before it to point at (wire_name.hpp), so what
        // libldns decodes is exactly the octets walked; anything else is refused, because the
        // response echoes those octets and must never echo more than was received.
        const std::vector<uint8_t> received(wire + walk.question_pos, wire + walk.question_end);
        if (ldns_wire2dname(&name, wire, length, &pos) == LDNS_STATUS_OK &&
            pos == walk.question_end && pos + 4 <= length &&
            ldns_rdf_size(name) == received.size() &&
            std::equal(received.begin(), received.end(), ldns_rdf_data(name))) {
            q.qname.reset(name);
            q.question_wire = received;
            q.qname_text = wire_name_text(name);
            q.qtype = read16(wire + pos);
            q.qclass = read16(wire + pos + 2);
            q.has_question = true;
        } else {
            ldns_rdf_deep_free(name);
        }
    }

    if (q.opcode != kOpcodeQuery) {
        q.verdict = QueryVerdict::notimp;
        if (!walk.ok) q.edns = false;  // no OPT in a reply to a message we could not read
    } else if (!walk.ok || !q.has_question) {
        q.verdict = QueryVerdict::formerr;  // includes QDCOUNT 0 and 2+ (RFC 9619 §2)
        q.edns = false;
        q.has_question = false;
    } else if (q.edns && q.edns_version > 0) {
        q.verdict = QueryVerdict::badvers;
    } else {
        q.verdict = QueryVerdict::answer;
    }
    return q;
}

}  // namespace rca::dns
