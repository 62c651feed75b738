// libFuzzer target: one datagram (or one TCP message, without its length prefix) arriving at the
// DNS responder. answer_query against a small fixed home zone, over UDP and TCP, with and without
// the response cache, and every reply held against libldns as an independent reader:
//
// - the cached reply is byte for byte the one answer_query builds afresh (dns/answer_query.hpp),
//   for every input and in any order;
// - every reply parses with ldns_wire2pkt, carries the query's ID and its RCODE, and fits its
//   transport (RFC 6891 §6.2.5 for UDP, the 16-bit length prefix for TCP);
// - a reply that echoes a question echoes exactly one, uncompressed, octet for octet as the query
//   sent it at the same offset (RFC 1035 §4.1.2; issue 14: a name that pointed into itself made
//   the reply echo octets the query never held), and libldns reads the query's own question, when
//   it can read the query at all, as the same name, type and class.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "core/home_zone.hpp"
#include "dns/answer_query.hpp"
#include "dns/ldns_handles.hpp"
#include "dns/response_writer.hpp"
#include "exact_input.hpp"

namespace {

using rca::dns::DnsReply;
using rca::dns::LdnsPkt;
using rca::dns::Transport;

constexpr size_t kHeaderSize = 12;

// The DNS tests' zone (tests/router-ca/dns/dns_test_support.hpp): home.arpa, its reverse zone
// 168.192.in-addr.arpa, the router, two devices on the LAN and one outside it.
std::shared_ptr<const rca::ZoneSet> zones() {
    static const auto zones = [] {
        rca::HomeZoneInput in;
        in.domain = "home.arpa";
        in.lan_subnets = {*rca::Ipv4Subnet::parse("192.168.0.0/16")};
        in.router_address = rca::Ipv4::parse("192.168.1.1");
        in.hosts = {{"camera", *rca::Ipv4::parse("192.168.1.20")},
                    {"printer", *rca::Ipv4::parse("192.168.1.30")},
                    {"nas", *rca::Ipv4::parse("10.9.9.9")}};
        in.serial = 42;
        return std::make_shared<const rca::ZoneSet>(rca::build_home_zone(in));
    }();
    return zones;
}

/// Stops the run as a finding when a promise does not hold.
void require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "fuzz_dns_query: broken invariant: %s\n", what);
    std::abort();
}

void require_same(const DnsReply& fresh, const DnsReply& cached) {
    require(fresh.wire == cached.wire && fresh.drop == cached.drop && fresh.rcode == cached.rcode &&
                fresh.truncated == cached.truncated,
            "the cached reply is the fresh one");
}

// The octets of the name at pos when it is written out in labels (no compression pointer), or 0
// when it holds a pointer or runs past the end.
size_t uncompressed_name_octets(const std::vector<uint8_t>& wire, size_t pos) {
    const size_t start = pos;
    while (pos < wire.size()) {
        const uint8_t length = wire[pos];
        if (length == 0) return pos + 1 - start;
        if (length > 63) return 0;  // a pointer, or a label type other than 00
        pos += 1 + length;
    }
    return 0;
}

LdnsPkt ldns_parse(const uint8_t* wire, size_t size) {
    ldns_pkt* pkt = nullptr;
    if (ldns_wire2pkt(&pkt, wire, size) != LDNS_STATUS_OK) {
        ldns_pkt_free(pkt);
        return nullptr;
    }
    return LdnsPkt(pkt);
}

bool same_octets(const ldns_rdf* name, const uint8_t* octets, size_t size) {
    return ldns_rdf_size(name) == size && std::memcmp(ldns_rdf_data(name), octets, size) == 0;
}

// The checks on the question a reply echoes, which starts at kHeaderSize in both messages.
void check_question(const uint8_t* query, size_t size, const DnsReply& reply,
                    const ldns_pkt& parsed) {
    require(ldns_pkt_qdcount(&parsed) == 1, "a reply echoes at most one question");
    const size_t name = uncompressed_name_octets(reply.wire, kHeaderSize);
    require(name > 0, "the echoed question's name is written out, not compressed");
    const size_t question = name + 4;  // QTYPE, QCLASS
    require(size >= kHeaderSize + question &&
                std::memcmp(reply.wire.data() + kHeaderSize, query + kHeaderSize, question) == 0,
            "the echoed question is octet for octet the one the query sent");
    const ldns_rr* echoed = ldns_rr_list_rr(ldns_pkt_question(&parsed), 0);
    require(echoed && same_octets(ldns_rr_owner(echoed), query + kHeaderSize, name),
            "libldns reads the echoed name as the octets the query sent");

    // libldns alone accepts more than the responder (hostile_packet_test.cpp lists what); where
    // it reads the query, it must read the question the responder answered.
    const LdnsPkt sent = ldns_parse(query, size);
    if (!sent || ldns_pkt_qdcount(sent.get()) != 1) return;
    const ldns_rr* asked = ldns_rr_list_rr(ldns_pkt_question(sent.get()), 0);
    require(asked && same_octets(ldns_rr_owner(asked), query + kHeaderSize, name) &&
                ldns_rr_get_type(asked) == ldns_rr_get_type(echoed) &&
                ldns_rr_get_class(asked) == ldns_rr_get_class(echoed),
            "libldns reads the query's question as the one the reply echoes");
}

void check_reply(const uint8_t* query, size_t size, const DnsReply& reply, Transport transport) {
    if (reply.drop) {
        require(reply.wire.empty(), "a dropped message gets no octets");
        return;
    }
    require(reply.wire.size() <=
                (transport == Transport::udp ? rca::dns::kUdpPayloadCap : rca::dns::kTcpMessageMax),
            "the reply fits its transport");
    const LdnsPkt parsed = ldns_parse(reply.wire.data(), reply.wire.size());
    require(parsed != nullptr, "libldns parses every reply");
    require(size >= kHeaderSize && ldns_pkt_id(parsed.get()) == (query[0] << 8 | query[1]),
            "the reply carries the query's ID");
    require(ldns_pkt_qr(parsed.get()), "the reply has QR set");
    require(ldns_pkt_get_rcode(parsed.get()) == (reply.rcode & 0x0f),
            "the reply's header carries its RCODE");
    if (ldns_pkt_qdcount(parsed.get()) > 0) check_question(query, size, reply, *parsed);
}

}  // namespace

int rca::fuzz::test_one_input(const uint8_t* data, size_t size) {
    // Kept across inputs like a server thread's, so hits on earlier inputs' templates are checked.
    static rca::dns::ResponseCache cache;
    for (const auto transport : {Transport::udp, Transport::tcp}) {
        // All three answers before any check, so that a memory error in either path is reported
        // as one rather than as the broken invariant it may also cause.
        const auto fresh = rca::dns::answer_query(*zones(), data, size, transport);
        const auto cached = rca::dns::answer_query(zones(), data, size, transport, cache);
        // Again: the first call may have filled the cache; this one is answered from it.
        const auto again = rca::dns::answer_query(zones(), data, size, transport, cache);
        check_reply(data, size, fresh, transport);
        require_same(fresh, cached);
        require_same(fresh, again);
    }
    return 0;
}
