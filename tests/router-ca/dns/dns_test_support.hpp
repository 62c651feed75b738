#pragma once
// Helpers for the DNS tests: queries built by libldns (an independent encoder), responses parsed
// back by it, and a small home zone used throughout.
#include <ldns/ldns.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/home_zone.hpp"
#include "dns/answer_query.hpp"
#include "dns/ldns_handles.hpp"

namespace rca::dns::test {

/// Options for a test query.
struct QueryOptions {
    uint16_t id = 0x1234;
    uint16_t qclass = LDNS_RR_CLASS_IN;
    bool rd = true;
    bool cd = false;
    uint8_t opcode = LDNS_PACKET_QUERY;
    bool edns = false;
    uint16_t udp_size = 1232;
    uint8_t edns_version = 0;
    bool dnssec_ok = false;

    /// A copy with this id and CD bit.
    QueryOptions with_id(uint16_t v, bool cd_bit = false) const {
        QueryOptions o = *this;
        o.id = v;
        o.cd = cd_bit;
        return o;
    }
    /// A copy with RD as given.
    QueryOptions with_rd(bool v) const {
        QueryOptions o = *this;
        o.rd = v;
        return o;
    }
    /// A copy with this opcode.
    QueryOptions with_opcode(uint8_t v) const {
        QueryOptions o = *this;
        o.opcode = v;
        return o;
    }
    /// A copy carrying an OPT record.
    QueryOptions with_edns(uint16_t size, uint8_t version = 0, bool do_bit = false) const {
        QueryOptions o = *this;
        o.edns = true;
        o.udp_size = size;
        o.edns_version = version;
        o.dnssec_ok = do_bit;
        return o;
    }
};

/// A query for name/type encoded by libldns.
inline std::vector<uint8_t> make_query(const std::string& name, uint16_t type,
                                       const QueryOptions& o = {}) {
    ldns_rdf* owner = ldns_dname_new_frm_str(name.c_str());
    if (!owner) throw std::runtime_error("bad test name " + name);
    LdnsPkt pkt(ldns_pkt_query_new(owner, static_cast<ldns_rr_type>(type),
                                   static_cast<ldns_rr_class>(o.qclass), o.rd ? LDNS_RD : 0));
    ldns_pkt_set_id(pkt.get(), o.id);
    ldns_pkt_set_cd(pkt.get(), o.cd);
    ldns_pkt_set_opcode(pkt.get(), static_cast<ldns_pkt_opcode>(o.opcode));
    if (o.edns) {
        ldns_pkt_set_edns_udp_size(pkt.get(), o.udp_size);
        ldns_pkt_set_edns_version(pkt.get(), o.edns_version);
        ldns_pkt_set_edns_do(pkt.get(), o.dnssec_ok);
        pkt->_edns_present = true;
    }
    uint8_t* data = nullptr;
    size_t size = 0;
    if (ldns_pkt2wire(&data, pkt.get(), &size) != LDNS_STATUS_OK)
        throw std::runtime_error("encode");
    std::vector<uint8_t> out(data, data + size);
    free(data);
    return out;
}

/// A response parsed by libldns; fails the test's REQUIRE when it does not parse.
inline LdnsPkt parse_response(const std::vector<uint8_t>& wire) {
    ldns_pkt* pkt = nullptr;
    if (ldns_wire2pkt(&pkt, wire.data(), wire.size()) != LDNS_STATUS_OK) return nullptr;
    return LdnsPkt(pkt);
}

/// The presentation text of an rdf (ldns's own formatting).
inline std::string rdf_text(const ldns_rdf* rdf) {
    char* s = ldns_rdf2str(rdf);
    std::string out = s ? s : "";
    free(s);
    return out;
}

/// The home zone of the tests: home.arpa, LAN 192.168.0.0/16, router .1, camera .20,
/// printer .30, and nas outside the LAN (10.9.9.9).
inline HomeZoneInput test_home_input() {
    HomeZoneInput in;
    in.domain = "home.arpa";
    in.lan_subnets = {*Ipv4Subnet::parse("192.168.0.0/16")};
    in.router_address = Ipv4::parse("192.168.1.1");
    in.hosts = {{"camera", *Ipv4::parse("192.168.1.20")},
                {"printer", *Ipv4::parse("192.168.1.30")},
                {"nas", *Ipv4::parse("10.9.9.9")}};
    in.serial = 42;
    return in;
}

}  // namespace rca::dns::test
