// libFuzzer target: one datagram (or one TCP message, without its length prefix) arriving at the
// DNS responder. answer_query against a small fixed home zone, over UDP and TCP, with and without
// the response cache. The cache's contract is checked too: its answer is byte for byte the one
// answer_query builds afresh (dns/answer_query.hpp), for every input and in any order.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/home_zone.hpp"
#include "dns/answer_query.hpp"
#include "exact_input.hpp"

namespace {

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

void same(const rca::dns::DnsReply& fresh, const rca::dns::DnsReply& cached) {
    if (fresh.wire == cached.wire && fresh.drop == cached.drop && fresh.rcode == cached.rcode &&
        fresh.truncated == cached.truncated)
        return;
    std::fprintf(stderr, "fuzz_dns_query: the cached reply differs from the fresh one\n");
    std::abort();
}

}  // namespace

int rca::fuzz::test_one_input(const uint8_t* data, size_t size) {
    // Kept across inputs like a server thread's, so hits on earlier inputs' templates are checked.
    static rca::dns::ResponseCache cache;
    for (const auto transport : {rca::dns::Transport::udp, rca::dns::Transport::tcp}) {
        const auto fresh = rca::dns::answer_query(*zones(), data, size, transport);
        same(fresh, rca::dns::answer_query(zones(), data, size, transport, cache));
        // Again: the first call may have filled the cache; this one is answered from it.
        same(fresh, rca::dns::answer_query(zones(), data, size, transport, cache));
    }
    return 0;
}
