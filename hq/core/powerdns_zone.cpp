#include "hq/core/powerdns_zone.hpp"

#include <stdexcept>

#include "core/home_policy.hpp"
#include "core/zone.hpp"
#include "core/zone_name.hpp"
#include "hq/core/vendor_zone.hpp"

namespace hq {

PowerDnsZone powerdns_zone(const std::string& apex_text, uint32_t serial) {
    const std::string apex = rca::canonical_name(apex_text);
    if (!rca::is_valid_domain(apex)) throw std::invalid_argument("invalid zone: " + apex_text);
    const std::string name_server = std::string(kNameServerLabel) + "." + apex;
    const rca::SoaData soa = rca::standard_soa(apex, name_server, serial, kVendorNegativeTtl);
    // PowerDNS's SOA content is the RDATA in presentation format (RFC 1035 §5.1), names
    // without the final dot as PowerDNS stores them.
    const std::string content = soa.mname + " " + soa.rname + " " + std::to_string(soa.serial) +
                                " " + std::to_string(soa.refresh) + " " +
                                std::to_string(soa.retry) + " " + std::to_string(soa.expire) + " " +
                                std::to_string(soa.minimum);
    return {apex, content, name_server, kVendorRecordTtl, kVendorRecordTtl, kChallengeTtl};
}

}  // namespace hq
