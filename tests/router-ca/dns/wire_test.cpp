// answer_query end to end on bytes: queries encoded by libldns, responses decoded by it.
#include <catch2/catch.hpp>

#include "dns/response_writer.hpp"
#include "dns_test_support.hpp"

using namespace rca;
using namespace rca::dns;
using namespace rca::dns::test;

namespace {

const ZoneSet& home_zones() {
    static const ZoneSet zones = build_home_zone(test_home_input());
    return zones;
}

struct Exchange {
    DnsReply reply;
    LdnsPkt response;
};

Exchange ask(const std::vector<uint8_t>& query, Transport transport = Transport::udp,
             const ZoneSet& zones = home_zones()) {
    Exchange e;
    e.reply = answer_query(zones, query.data(), query.size(), transport);
    if (!e.reply.drop) e.response = parse_response(e.reply.wire);
    return e;
}

std::vector<std::string> answers(const ldns_pkt* p) {
    std::vector<std::string> out;
    const ldns_rr_list* list = ldns_pkt_answer(p);
    for (size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(list, i);
        out.push_back(rdf_text(ldns_rr_rdf(rr, 0)));
    }
    return out;
}

}  // namespace

TEST_CASE("wire: an A query gets an authoritative answer with the header copied") {
    const Exchange e =
        ask(make_query("camera.home.arpa", LDNS_RR_TYPE_A, QueryOptions().with_id(0xbeef, true)));
    REQUIRE(e.response);
    const ldns_pkt* p = e.response.get();
    CHECK(ldns_pkt_id(p) == 0xbeef);
    CHECK(ldns_pkt_qr(p));
    CHECK(ldns_pkt_aa(p));
    CHECK_FALSE(ldns_pkt_ra(p));
    CHECK(ldns_pkt_rd(p));
    CHECK(ldns_pkt_cd(p));
    CHECK(ldns_pkt_get_rcode(p) == LDNS_RCODE_NOERROR);
    CHECK(answers(p) == std::vector<std::string>{"192.168.1.20"});
    CHECK(ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(p), 0)) == 60);
    CHECK_FALSE(ldns_pkt_edns(p));  // no OPT asked, none sent
}

TEST_CASE("wire: RD clear stays clear") {
    const Exchange e =
        ask(make_query("camera.home.arpa", LDNS_RR_TYPE_A, QueryOptions().with_rd(false)));
    CHECK_FALSE(ldns_pkt_rd(e.response.get()));
}

TEST_CASE("wire: table of rcodes and sections") {
    struct Row {
        const char* name;
        uint16_t type;
        ldns_pkt_rcode rcode;
        bool aa;
        size_t answers;
        size_t authority;
        size_t additional;
    };
    const Row table[] = {
        {"camera.home.arpa", LDNS_RR_TYPE_AAAA, LDNS_RCODE_NOERROR, true, 0, 1, 0},
        {"home.arpa", LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR, true, 1, 0, 0},
        {"home.arpa", LDNS_RR_TYPE_NS, LDNS_RCODE_NOERROR, true, 1, 0, 1},
        {"20.1.168.192.in-addr.arpa", LDNS_RR_TYPE_PTR, LDNS_RCODE_NOERROR, true, 1, 0, 0},
        {"ghost.home.arpa", LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, true, 0, 1, 0},
        {"example.com", LDNS_RR_TYPE_A, LDNS_RCODE_REFUSED, false, 0, 0, 0},
        {"9.9.9.10.in-addr.arpa", LDNS_RR_TYPE_PTR, LDNS_RCODE_REFUSED, false, 0, 0, 0},
        {"camera.home.arpa", LDNS_RR_TYPE_AXFR, LDNS_RCODE_REFUSED, false, 0, 0, 0},
    };
    for (const auto& row : table) {
        INFO(row.name << " type " << row.type);
        const Exchange e = ask(make_query(row.name, row.type));
        REQUIRE(e.response);
        const ldns_pkt* p = e.response.get();
        CHECK(ldns_pkt_get_rcode(p) == row.rcode);
        CHECK(ldns_pkt_aa(p) == row.aa);
        CHECK(ldns_pkt_ancount(p) == row.answers);
        CHECK(ldns_pkt_nscount(p) == row.authority);
        CHECK(ldns_pkt_arcount(p) == row.additional);
        CHECK(ldns_pkt_qdcount(p) == 1);
        if (row.authority == 1) {
            const ldns_rr* soa = ldns_rr_list_rr(ldns_pkt_authority(p), 0);
            CHECK(ldns_rr_get_type(soa) == LDNS_RR_TYPE_SOA);
            CHECK(ldns_rr_ttl(soa) == 60);
        }
    }
}

TEST_CASE("wire: the question's case is preserved in question and answer") {
    const Exchange e = ask(make_query("CaMeRa.HoMe.ArPa", LDNS_RR_TYPE_A));
    REQUIRE(e.response);
    const ldns_pkt* p = e.response.get();
    CHECK(rdf_text(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(p), 0))) == "CaMeRa.HoMe.ArPa.");
    REQUIRE(ldns_pkt_ancount(p) == 1);
    CHECK(rdf_text(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_answer(p), 0))) == "CaMeRa.HoMe.ArPa.");
}

TEST_CASE("wire: EDNS is echoed with our payload size, version 0 and the DO bit") {
    for (const bool dnssec_ok : {false, true}) {
        const Exchange e = ask(make_query("camera.home.arpa", LDNS_RR_TYPE_A,
                                          QueryOptions().with_edns(4096, 0, dnssec_ok)));
        REQUIRE(e.response);
        const ldns_pkt* p = e.response.get();
        CHECK(ldns_pkt_edns(p));
        CHECK(ldns_pkt_edns_udp_size(p) == kUdpPayloadCap);
        CHECK(ldns_pkt_edns_version(p) == 0);
        CHECK(ldns_pkt_edns_do(p) == dnssec_ok);
        CHECK(answers(p).size() == 1);
    }
}

TEST_CASE("wire: EDNS version 1 gets BADVERS with an OPT of version 0") {
    const Exchange e =
        ask(make_query("camera.home.arpa", LDNS_RR_TYPE_A, QueryOptions().with_edns(1232, 1)));
    REQUIRE(e.response);
    const ldns_pkt* p = e.response.get();
    CHECK(e.reply.rcode == kRcodeBadvers);
    CHECK(ldns_pkt_get_rcode(p) == 0);
    CHECK(ldns_pkt_edns_extended_rcode(p) == 1);  // 1 << 4 | 0 == 16
    CHECK(ldns_pkt_edns_version(p) == 0);
    CHECK(ldns_pkt_ancount(p) == 0);
}

TEST_CASE("wire: opcodes other than QUERY get NOTIMP") {
    for (const auto opcode :
         {LDNS_PACKET_IQUERY, LDNS_PACKET_STATUS, LDNS_PACKET_NOTIFY, LDNS_PACKET_UPDATE}) {
        INFO("opcode " << opcode);
        const Exchange e =
            ask(make_query("home.arpa", LDNS_RR_TYPE_SOA,
                           QueryOptions().with_opcode(static_cast<uint8_t>(opcode))));
        REQUIRE(e.response);
        CHECK(ldns_pkt_get_rcode(e.response.get()) == LDNS_RCODE_NOTIMPL);
        CHECK(ldns_pkt_get_opcode(e.response.get()) == opcode);
        CHECK(ldns_pkt_ancount(e.response.get()) == 0);
    }
}

TEST_CASE("wire: an answer too large for UDP sets TC, TCP carries all of it") {
    HomeZoneInput in = test_home_input();
    for (int i = 0; i < 40; ++i)
        in.hosts.push_back({"alias-" + std::to_string(i), *Ipv4::parse("192.168.1.99")});
    const ZoneSet zones = build_home_zone(in);
    const auto ptr = [](const QueryOptions& o) {
        return make_query("99.1.168.192.in-addr.arpa", LDNS_RR_TYPE_PTR, o);
    };

    const Exchange plain = ask(ptr(QueryOptions()), Transport::udp, zones);  // no EDNS: 512 octets
    REQUIRE(plain.response);
    CHECK(plain.reply.truncated);
    CHECK(plain.reply.wire.size() <= 512);
    CHECK(ldns_pkt_tc(plain.response.get()));
    CHECK(ldns_pkt_ancount(plain.response.get()) == 0);
    CHECK(ldns_pkt_qdcount(plain.response.get()) == 1);

    const Exchange small = ask(ptr(QueryOptions().with_edns(100)), Transport::udp, zones);
    CHECK(small.reply.truncated);  // below 512 is taken as 512
    CHECK(ldns_pkt_edns(small.response.get()));

    const Exchange big = ask(ptr(QueryOptions().with_edns(4096)), Transport::udp, zones);
    CHECK_FALSE(big.reply.truncated);  // capped at 1232, and 40 compressed PTRs fit
    CHECK(big.reply.wire.size() <= kUdpPayloadCap);
    CHECK(ldns_pkt_ancount(big.response.get()) == 40);

    const Exchange tcp = ask(ptr(QueryOptions()), Transport::tcp, zones);
    CHECK_FALSE(tcp.reply.truncated);
    CHECK(ldns_pkt_ancount(tcp.response.get()) == 40);
}

TEST_CASE("wire: additional data is dropped before anything is truncated") {
    // An apex with many NS hosts whose addresses ride as additional data: the NS set fits in 512,
    // the glue does not, so the reply keeps every NS, drops the glue and does not set TC.
    std::vector<ResourceRecord> records;
    SoaData soa{"ns0.z.example", "h.z.example", 1, 1, 1, 1, 1};
    records.push_back(ResourceRecord::soa("z.example", 60, soa));
    for (int i = 0; i < 14; ++i) {
        const std::string host = "name-server-" + std::to_string(i) + ".z.example";
        records.push_back(ResourceRecord::ns("z.example", 60, host));
        records.push_back(ResourceRecord::a(host, 60, Ipv4{static_cast<uint32_t>(i + 1)}));
    }
    std::vector<Zone> zs;
    zs.emplace_back("z.example", std::move(records));
    const ZoneSet zones(std::move(zs));
    const Exchange e = ask(make_query("z.example", LDNS_RR_TYPE_NS), Transport::udp, zones);
    REQUIRE(e.response);
    CHECK_FALSE(e.reply.truncated);
    CHECK(ldns_pkt_ancount(e.response.get()) == 14);
    CHECK(ldns_pkt_arcount(e.response.get()) == 0);
    const Exchange t = ask(make_query("z.example", LDNS_RR_TYPE_NS), Transport::tcp, zones);
    CHECK(ldns_pkt_arcount(t.response.get()) == 14);
}

TEST_CASE("wire: names are compressed in responses") {
    const Exchange e = ask(make_query("home.arpa", LDNS_RR_TYPE_SOA));
    // header 12 + question 15 + SOA (2 owner + 10 + mname 9 + rname 13 + 20) = 81 with pointers.
    CHECK(e.reply.wire.size() < 100);
}

TEST_CASE("wire: udp_response_limit clamps to 512..1232") {
    CHECK(udp_response_limit(false, 4096) == 512);
    CHECK(udp_response_limit(true, 0) == 512);
    CHECK(udp_response_limit(true, 1000) == 1000);
    CHECK(udp_response_limit(true, 65535) == 1232);
}

TEST_CASE("wire: cached answers are byte for byte the uncached ones") {
    HomeZoneInput in = test_home_input();
    for (int i = 0; i < 40; ++i)
        in.hosts.push_back({"alias-" + std::to_string(i), *Ipv4::parse("192.168.1.99")});
    const auto zones = std::make_shared<const ZoneSet>(build_home_zone(in));
    ResponseCache cache(8);  // small, so that it also starts over during the test
    const std::vector<std::pair<std::string, uint16_t>> questions = {
        {"camera.home.arpa", LDNS_RR_TYPE_A},
        {"CaMeRa.HoMe.ArPa", LDNS_RR_TYPE_A},
        {"CAMERA.HOME.ARPA", LDNS_RR_TYPE_AAAA},
        {"gHoSt.home.arpa", LDNS_RR_TYPE_A},
        {"Home.Arpa", LDNS_RR_TYPE_NS},
        {"home.arpa", LDNS_RR_TYPE_SOA},
        {"99.1.168.192.IN-ADDR.arpa", LDNS_RR_TYPE_PTR},
        {"Example.COM", LDNS_RR_TYPE_A},
    };
    const std::vector<QueryOptions> options = {
        QueryOptions(),
        QueryOptions().with_id(7, true).with_rd(false),
        QueryOptions().with_edns(4096, 0, true),
        QueryOptions().with_id(9).with_edns(512),
        QueryOptions().with_edns(1232, 0, false),
    };
    for (int round = 0; round < 2; ++round) {
        for (const auto& [name, type] : questions) {
            for (const auto& o : options) {
                for (const Transport t : {Transport::udp, Transport::tcp}) {
                    INFO(name << " type " << type << " round " << round);
                    const auto query = make_query(name, type, o);
                    const DnsReply plain = answer_query(*zones, query.data(), query.size(), t);
                    const DnsReply cached =
                        answer_query(zones, query.data(), query.size(), t, cache);
                    CHECK(cached.wire == plain.wire);
                    CHECK(cached.rcode == plain.rcode);
                    CHECK(cached.truncated == plain.truncated);
                }
            }
        }
    }
    CHECK(cache.size() <= 8);
}

TEST_CASE("wire: a new snapshot empties the cache") {
    ResponseCache cache;
    const auto query = make_query("camera.home.arpa", LDNS_RR_TYPE_A);
    const auto first = std::make_shared<const ZoneSet>(build_home_zone(test_home_input()));
    CHECK(answer_query(first, query.data(), query.size(), Transport::udp, cache).rcode == 0);
    CHECK(cache.size() == 1);
    HomeZoneInput gone = test_home_input();
    gone.hosts.clear();
    const auto second = std::make_shared<const ZoneSet>(build_home_zone(gone));
    CHECK(answer_query(second, query.data(), query.size(), Transport::udp, cache).rcode ==
          LDNS_RCODE_NXDOMAIN);
    // Errors are never cached.
    const std::vector<uint8_t> runt = {1, 2, 3};
    CHECK(answer_query(second, runt.data(), runt.size(), Transport::udp, cache).drop);
    CHECK(cache.size() == 1);
}
