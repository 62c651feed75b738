#include "hq/core/vendor_zone.hpp"

#include <stdexcept>

#include "core/home_policy.hpp"
#include "core/zone_name.hpp"

namespace hq {

std::string record_name(const std::string& label, const std::string& home,
                        const std::string& apex) {
    return label + "." + home + "." + apex;
}

rca::ZoneSet build_vendor_zone(const VendorZoneInput& input) {
    const std::string apex = rca::canonical_name(input.apex);
    if (!rca::is_valid_domain(apex)) throw std::invalid_argument("invalid zone: " + input.apex);
    const std::string name_server = std::string(kNameServerLabel) + "." + apex;

    std::vector<rca::ResourceRecord> records;
    records.reserve(input.records.size() + input.challenges.size() + 2);
    records.push_back(rca::ResourceRecord::soa(
        apex, kVendorRecordTtl,
        rca::standard_soa(apex, name_server, input.serial, kVendorNegativeTtl)));
    records.push_back(rca::ResourceRecord::ns(apex, kVendorRecordTtl, name_server));
    for (const auto& r : input.records)
        records.push_back(rca::ResourceRecord::a(record_name(r.label, r.home, apex),
                                                 kVendorRecordTtl, r.address));
    // Two orders for the same name may be validated at once; both values are answered, as
    // RFC 8555 §8.4 expects ("multiple TXT records ... the server MUST accept any").
    for (const auto& c : input.challenges)
        records.push_back(rca::ResourceRecord::txt(c.owner, kChallengeTtl, {c.value}));
    std::vector<rca::Zone> zones;
    zones.emplace_back(apex, std::move(records));
    return rca::ZoneSet(std::move(zones));
}

}  // namespace hq
