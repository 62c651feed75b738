// Hostile and malformed messages, byte by byte: each gets the right RCODE or is dropped, and
// what libldns alone would accept is recorded next to the checks router-ca adds.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "dns/query_parser.hpp"
#include "dns/response_cache.hpp"
#include "dns/wire_name.hpp"
#include "dns_test_support.hpp"

using namespace rca;
using namespace rca::dns;
using namespace rca::dns::test;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes header(uint16_t qd, uint16_t an = 0, uint16_t ns = 0, uint16_t ar = 0, uint8_t flags1 = 0x01,
             uint8_t flags2 = 0x00) {
    return {0xab,
            0xcd,
            flags1,
            flags2,
            static_cast<uint8_t>(qd >> 8),
            static_cast<uint8_t>(qd),
            static_cast<uint8_t>(an >> 8),
            static_cast<uint8_t>(an),
            static_cast<uint8_t>(ns >> 8),
            static_cast<uint8_t>(ns),
            static_cast<uint8_t>(ar >> 8),
            static_cast<uint8_t>(ar)};
}

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

// camera.home.arpa in wire form.
const Bytes kCamera = {6,   'c', 'a', 'm', 'e', 'r', 'a', 4,   'h',
                       'o', 'm', 'e', 4,   'a', 'r', 'p', 'a', 0};
const Bytes kTypeAClassIn = {0, 1, 0, 1};
// An OPT RR: root owner, type 41, payload 1232, ext-rcode 0, version 0, flags 0, no RDATA.
const Bytes kOpt = {0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0};

Bytes label(size_t length, char c = 'x') {
    Bytes out{static_cast<uint8_t>(length)};
    out.insert(out.end(), length, static_cast<uint8_t>(c));
    return out;
}

// A name of `labels` labels of 63 octets: 64 * labels + 1 octets on the wire.
Bytes long_name(int labels) {
    Bytes out;
    for (int i = 0; i < labels; ++i) {
        const Bytes l = label(63);
        out.insert(out.end(), l.begin(), l.end());
    }
    out.push_back(0);
    return out;
}

// A name of exactly `octets` octets (odd, >= 3), made of 1-octet labels: "x.x.x...".
Bytes name_of_octets(size_t octets) {
    Bytes out;
    while (out.size() + 1 < octets) out.insert(out.end(), {1, 'x'});
    out.push_back(0);
    return out;
}

constexpr int kDrop = -1;

struct Row {
    const char* what;
    Bytes packet;
    int rcode;  // expected RCODE, or kDrop
};

std::vector<Row> hostile_table() {
    Bytes self_loop = header(1);
    self_loop.insert(self_loop.end(), {0xc0, 12});  // points at itself
    self_loop.insert(self_loop.end(), kTypeAClassIn.begin(), kTypeAClassIn.end());
    Bytes mutual = header(1);
    mutual.insert(mutual.end(), {1, 'a', 0xc0, 12});  // label then pointer back to the label
    mutual.insert(mutual.end(), kTypeAClassIn.begin(), kTypeAClassIn.end());
    // A label holding a name of its own, then a pointer to that inner name: 66 octets on the wire
    // that decompress to 127 (issue 14: the reply echoed 61 octets past the question).
    Bytes self_pointing = header(1);
    self_pointing.push_back(63);
    const Bytes inner = cat({label(61, 'y'), {0}});
    self_pointing.insert(self_pointing.end(), inner.begin(), inner.end());
    self_pointing.insert(self_pointing.end(), {0xc0, 13});
    self_pointing.insert(self_pointing.end(), kTypeAClassIn.begin(), kTypeAClassIn.end());
    const Bytes full_header = header(1);
    const Bytes short_header(full_header.begin(), full_header.end() - 1);
    Bytes garbage64k = header(1);
    garbage64k.resize(65535, 0x41);
    return {
        {"empty", {}, kDrop},
        {"one octet", {0xab}, kDrop},
        {"shorter than a header (11 octets)", short_header, kDrop},
        {"response bit set", cat({header(1, 0, 0, 0, 0x81), kCamera, kTypeAClassIn}), kDrop},
        {"QDCOUNT 0", header(0), LDNS_RCODE_FORMERR},
        {"QDCOUNT 0 with trailing bytes", cat({header(0), kCamera}), LDNS_RCODE_FORMERR},
        {"QDCOUNT 2", cat({header(2), kCamera, kTypeAClassIn, kCamera, kTypeAClassIn}),
         LDNS_RCODE_FORMERR},
        {"QDCOUNT 1, no question", header(1), LDNS_RCODE_FORMERR},
        {"question without type and class", cat({header(1), kCamera}), LDNS_RCODE_FORMERR},
        {"question with half a type", cat({header(1), kCamera, {0}}), LDNS_RCODE_FORMERR},
        {"label of 64 (type bits 01)", cat({header(1), label(64), {0}, kTypeAClassIn}),
         LDNS_RCODE_FORMERR},
        {"label type bits 10", cat({header(1), {0x80, 'x', 0}, kTypeAClassIn}), LDNS_RCODE_FORMERR},
        {"label running past the end", cat({header(1), {10, 'a', 'b'}}), LDNS_RCODE_FORMERR},
        {"name without its root label", cat({header(1), {1, 'a'}}), LDNS_RCODE_FORMERR},
        {"name of 257 octets", cat({header(1), name_of_octets(257), kTypeAClassIn}),
         LDNS_RCODE_FORMERR},
        {"name of 321 octets", cat({header(1), long_name(5), kTypeAClassIn}), LDNS_RCODE_FORMERR},
        {"name of 255 octets (the limit) is fine",
         cat({header(1), name_of_octets(255), kTypeAClassIn}), LDNS_RCODE_REFUSED},
        {"compression pointer to itself", self_loop, LDNS_RCODE_FORMERR},
        {"compression loop through a label", mutual, LDNS_RCODE_FORMERR},
        {"question name pointing into itself", self_pointing, LDNS_RCODE_FORMERR},
        {"pointer past the end", cat({header(1), {0xc0, 0xff}, kTypeAClassIn}), LDNS_RCODE_FORMERR},
        {"pointer forward", cat({header(1), {0xc0, 18, 0, 1, 0, 1}, kCamera}), LDNS_RCODE_FORMERR},
        {"pointer into the header", cat({header(1), {0xc0, 2}, kTypeAClassIn}), LDNS_RCODE_FORMERR},
        {"pointer cut in half", cat({header(1), {0xc0}}), LDNS_RCODE_FORMERR},
        {"unknown class", cat({header(1), kCamera, {0, 1, 0x12, 0x34}}), LDNS_RCODE_REFUSED},
        {"class CHAOS", cat({header(1), kCamera, {0, 16, 0, 3}}), LDNS_RCODE_REFUSED},
        {"class ANY is answered", cat({header(1), kCamera, {0, 1, 0, 255}}), LDNS_RCODE_NOERROR},
        {"trailing garbage", cat({header(1), kCamera, kTypeAClassIn, {0xde, 0xad}}),
         LDNS_RCODE_FORMERR},
        {"ANCOUNT 1 with nothing there", cat({header(1, 1), kCamera, kTypeAClassIn}),
         LDNS_RCODE_FORMERR},
        {"ARCOUNT 65535 with nothing there", cat({header(1, 0, 0, 0xffff), kCamera, kTypeAClassIn}),
         LDNS_RCODE_FORMERR},
        {"RDLENGTH past the end",
         cat({header(1, 0, 0, 1), kCamera, kTypeAClassIn, {0, 0, 16, 0, 1, 0, 0, 0, 60, 0, 9, 1}}),
         LDNS_RCODE_FORMERR},
        {"two OPT records", cat({header(1, 0, 0, 2), kCamera, kTypeAClassIn, kOpt, kOpt}),
         LDNS_RCODE_FORMERR},
        {"OPT with a non-root owner",
         cat({header(1, 0, 0, 1), kCamera, kTypeAClassIn, {1, 'x'}, kOpt}), LDNS_RCODE_FORMERR},
        {"OPT in the answer section", cat({header(1, 1), kCamera, kTypeAClassIn, kOpt}),
         LDNS_RCODE_FORMERR},
        {"OPT option longer than its RDATA",
         cat({header(1, 0, 0, 1),
              kCamera,
              kTypeAClassIn,
              {0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 5, 0, 10, 0, 9, 0}}),
         LDNS_RCODE_FORMERR},
        {"a well-formed OPT", cat({header(1, 0, 0, 1), kCamera, kTypeAClassIn, kOpt}),
         LDNS_RCODE_NOERROR},
        {"OPT with a cookie option",
         cat({header(1, 0, 0, 1), kCamera, kTypeAClassIn, {0, 0, 41, 0x04, 0xd0, 0, 0, 0,
                                                           0, 0, 12, 0,    10,   0, 8, 1,
                                                           2, 3, 4,  5,    6,    7, 8}}),
         LDNS_RCODE_NOERROR},
        {"UPDATE opcode with garbage", cat({header(0, 0, 0, 0, 0x28), {1, 2, 3}}),
         LDNS_RCODE_NOTIMPL},
        {"TC and Z bits set in a query are ignored",
         cat({header(1, 0, 0, 0, 0x03, 0x40), kCamera, kTypeAClassIn}), LDNS_RCODE_NOERROR},
        {"root name", cat({header(1), {0}, kTypeAClassIn}), LDNS_RCODE_REFUSED},
        {"64 KiB of garbage", garbage64k, LDNS_RCODE_FORMERR},
    };
}

}  // namespace

TEST_CASE("hostile: each packet gets its RCODE or is dropped") {
    const ZoneSet zones = build_home_zone(test_home_input());
    for (const auto& row : hostile_table()) {
        INFO(row.what);
        for (const Transport transport : {Transport::udp, Transport::tcp}) {
            const DnsReply reply =
                answer_query(zones, row.packet.data(), row.packet.size(), transport);
            if (row.rcode == kDrop) {
                CHECK(reply.drop);
                CHECK(reply.wire.empty());
                continue;
            }
            REQUIRE_FALSE(reply.drop);
            REQUIRE(reply.wire.size() >= 12);
            CHECK(reply.wire[0] == 0xab);  // ID copied
            CHECK(reply.wire[1] == 0xcd);
            CHECK((reply.wire[2] & 0x80) != 0);  // QR
            CHECK((reply.wire[3] & 0x80) == 0);  // RA clear
            CHECK((reply.wire[3] & 0x0f) == row.rcode);
            CHECK(reply.rcode == row.rcode);
            CHECK(reply.wire.size() <= 512);
            const LdnsPkt parsed = parse_response(reply.wire);
            CHECK(parsed != nullptr);  // whatever we send is itself well formed
            if (row.rcode == LDNS_RCODE_FORMERR) {
                CHECK(reply.wire.size() == 12);  // header only: nothing of it is echoed
                CHECK(reply.wire[5] == 0);       // QDCOUNT 0
            }
        }
    }
}

TEST_CASE("hostile: a pointer must lead before the labels that lead to it") {
    // An answer owner compressed to the question's name, as encoders write it: accepted.
    const Bytes compressed = cat({header(1, 1),
                                  kCamera,
                                  kTypeAClassIn,
                                  {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 168, 1, 20}});
    size_t pos = 12 + kCamera.size() + 4;
    CHECK(skip_wire_name(compressed.data(), compressed.size(), pos));
    CHECK(pos == 12 + kCamera.size() + 6);
    CHECK(parse_query(compressed.data(), compressed.size()).verdict == QueryVerdict::answer);
    // A pointer into the name's own labels, however short the walk: refused.
    const Bytes into_itself = cat({header(1), {3, 1, 'a', 0, 0xc0, 13}, kTypeAClassIn});
    pos = 12;
    CHECK_FALSE(skip_wire_name(into_itself.data(), into_itself.size(), pos));
    // A label followed by a pointer to an earlier name (x.camera.home.arpa): accepted.
    const Bytes label_then_pointer =
        cat({header(1, 1),
             kCamera,
             kTypeAClassIn,
             {1, 'x', 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 168, 1, 20}});
    pos = 12 + kCamera.size() + 4;
    CHECK(skip_wire_name(label_then_pointer.data(), label_then_pointer.size(), pos));
}

TEST_CASE("hostile: the question goes back exactly as sent, cached or not") {
    const auto zones = std::make_shared<const ZoneSet>(build_home_zone(test_home_input()));
    ResponseCache cache(16);
    for (const char* spelling : {"camera.home.arpa", "CaMeRa.HoMe.ArPa", "CAMERA.HOME.ARPA",
                                 "nothing.home.arpa", "NoThInG.home.arpa"}) {
        INFO(spelling);
        const Bytes query = make_query(spelling, LDNS_RR_TYPE_A);
        const ParsedQuery q = parse_query(query.data(), query.size());
        REQUIRE(q.verdict == QueryVerdict::answer);
        const Bytes sent(query.begin() + 12,
                         query.begin() + 12 + static_cast<long>(q.question_wire.size()));
        CHECK(q.question_wire == sent);
        for (int round = 0; round < 2; ++round) {  // a miss, then a hit
            const DnsReply reply =
                answer_query(zones, query.data(), query.size(), Transport::udp, cache);
            REQUIRE(reply.wire.size() >= 12 + sent.size());
            CHECK(Bytes(reply.wire.begin() + 12,
                        reply.wire.begin() + 12 + static_cast<long>(sent.size())) == sent);
        }
    }
}

TEST_CASE("hostile: the parser's verdicts") {
    CHECK(parse_query(nullptr, 0).verdict == QueryVerdict::drop);
    const Bytes update = cat({header(1, 0, 0, 0, 0x28), kCamera, kTypeAClassIn});
    const ParsedQuery q = parse_query(update.data(), update.size());
    CHECK(q.verdict == QueryVerdict::notimp);
    CHECK(q.has_question);  // a readable question is echoed in the NOTIMP
    CHECK(q.qname_text == "camera.home.arpa");
}

TEST_CASE("hostile: odd bytes in a name are escaped, never confused with dots") {
    // One label "camera.home" (with a dot inside), then "arpa": not camera.home.arpa.
    const Bytes dotted = {11,  'c', 'a', 'm', 'e', 'r', 'a', '.', 'h',
                          'o', 'm', 'e', 4,   'a', 'r', 'p', 'a', 0};
    const Bytes packet = cat({header(1), dotted, kTypeAClassIn});
    const ParsedQuery q = parse_query(packet.data(), packet.size());
    REQUIRE(q.verdict == QueryVerdict::answer);
    CHECK(q.qname_text == "camera\\.home.arpa");
    const ZoneSet zones = build_home_zone(test_home_input());
    CHECK(answer_query(zones, packet.data(), packet.size(), Transport::udp).rcode ==
          LDNS_RCODE_REFUSED);

    const Bytes binary = {3, 0x00, 0xff, ' ', 4, 'h', 'o', 'm', 'e', 4, 'a', 'r', 'p', 'a', 0};
    const Bytes packet2 = cat({header(1), binary, kTypeAClassIn});
    const ParsedQuery q2 = parse_query(packet2.data(), packet2.size());
    CHECK(q2.qname_text == "\\000\\255\\032.home.arpa");
    CHECK(answer_query(zones, packet2.data(), packet2.size(), Transport::udp).rcode ==
          LDNS_RCODE_NXDOMAIN);
}

// What libldns 1.8.3's ldns_wire2pkt does with the same bytes, recorded so that the reasons for
// router-ca's own checks stay visible: it accepts trailing garbage, a second OPT (the last one
// wins), forward pointers and QDCOUNT 0 or 2; it rejects bad label types, long names, pointers
// past the end and loops (after following up to 65,535 pointers).
TEST_CASE("hostile: what libldns alone accepts") {
    const auto ldns_accepts = [](const Bytes& b) {
        ldns_pkt* p = nullptr;
        const bool ok = ldns_wire2pkt(&p, b.data(), b.size()) == LDNS_STATUS_OK;
        ldns_pkt_free(p);
        return ok;
    };
    CHECK(ldns_accepts(cat({header(1), kCamera, kTypeAClassIn, {0xde, 0xad}})));
    CHECK(ldns_accepts(cat({header(1, 0, 0, 2), kCamera, kTypeAClassIn, kOpt, kOpt})));
    CHECK(ldns_accepts(cat({header(1), {0xc0, 18, 0, 1, 0, 1}, kCamera})));
    CHECK(ldns_accepts(header(0)));
    CHECK(ldns_accepts(cat({header(2), kCamera, kTypeAClassIn, kCamera, kTypeAClassIn})));
    CHECK(ldns_accepts(cat({header(1, 1), kCamera, kTypeAClassIn, kOpt})));  // OPT in answers

    CHECK_FALSE(ldns_accepts(cat({header(1), label(64), {0}, kTypeAClassIn})));
    CHECK_FALSE(ldns_accepts(cat({header(1), long_name(5), kTypeAClassIn})));
    CHECK_FALSE(ldns_accepts(cat({header(1), {0xc0, 0xff}, kTypeAClassIn})));
    Bytes self_loop = header(1);
    self_loop.insert(self_loop.end(), {0xc0, 12, 0, 1, 0, 1});
    CHECK_FALSE(ldns_accepts(self_loop));
    CHECK_FALSE(ldns_accepts(Bytes(11, 0)));
}

// Not a fuzzer (a later issue adds those), but a cheap net: valid queries with random octets
// changed, cut or appended must never crash, and whatever is sent back must parse.
TEST_CASE("hostile: random mutations of valid queries") {
    const auto zones = std::make_shared<const ZoneSet>(build_home_zone(test_home_input()));
    ResponseCache cache(64);
    const std::vector<Bytes> seeds = {
        make_query("camera.home.arpa", LDNS_RR_TYPE_A),
        make_query("20.1.168.192.in-addr.arpa", LDNS_RR_TYPE_PTR,
                   QueryOptions().with_edns(4096, 0, true)),
        cat({header(1, 0, 0, 1), kCamera, kTypeAClassIn, {0, 0, 41, 0x04, 0xd0, 0, 0, 0,
                                                          0, 0, 12, 0,    10,   0, 8, 1,
                                                          2, 3, 4,  5,    6,    7, 8}}),
    };
    uint32_t state = 12345;
    const auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return state >> 8;
    };
    size_t answered = 0;
    for (int i = 0; i < 30000; ++i) {
        Bytes b = seeds[next() % seeds.size()];
        const int edits = 1 + static_cast<int>(next() % 4);
        for (int e = 0; e < edits; ++e) {
            switch (next() % 4) {
                case 0:
                    b[next() % b.size()] = static_cast<uint8_t>(next());
                    break;
                case 1:
                    b.resize(next() % (b.size() + 1));
                    break;
                case 2:
                    b.push_back(static_cast<uint8_t>(next()));
                    break;
                default:
                    b[next() % b.size()] ^= static_cast<uint8_t>(1u << (next() % 8));
                    break;
            }
            if (b.empty()) b.push_back(0);
        }
        for (const Transport t : {Transport::udp, Transport::tcp}) {
            const DnsReply plain = answer_query(*zones, b.data(), b.size(), t);
            const DnsReply cached = answer_query(zones, b.data(), b.size(), t, cache);
            REQUIRE(cached.wire == plain.wire);
            if (plain.drop) continue;
            ++answered;
            REQUIRE(parse_response(plain.wire) != nullptr);
            REQUIRE(plain.wire.size() <= (t == Transport::udp ? 1232u : 65535u));
        }
    }
    CHECK(answered > 1000);
}
