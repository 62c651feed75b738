#pragma once
// The vendor zone as PowerDNS serves it from HQ's PostgreSQL database (postgres_migrations/
// 004_powerdns.sql): the apex's SOA and NS rows and the TTLs the database triggers give home and
// challenge records. Made from the same constants as HQ's own responder (vendor_zone.hpp), so
// both answer alike. Pure.
#include <cstdint>
#include <string>

namespace hq {

/// What hq serve writes into powerdns_zone and the apex's PowerDNS rows.
struct PowerDnsZone {
    std::string apex;         ///< canonical, no final dot
    std::string soa_content;  ///< "mname rname serial refresh retry expire minimum"
    std::string name_server;  ///< the NS record's content, ns1.<apex>
    uint32_t apex_ttl;        ///< SOA and NS
    uint32_t record_ttl;      ///< home A records
    uint32_t challenge_ttl;   ///< _acme-challenge TXT records
};

/// The PowerDNS rows of the zone at apex with this SOA serial. Throws std::invalid_argument for
/// an invalid apex.
PowerDnsZone powerdns_zone(const std::string& apex, uint32_t serial);

}  // namespace hq
