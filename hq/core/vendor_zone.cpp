#include "hq/core/vendor_zone.hpp"

#include <stdexcept>

#include "core/home_policy.hpp"
#include "core/zone_name.hpp"

namespace hq {
namespace {

rca::ResourceRecord a_record(const HomeRecord& r, const std::string& apex) {
    return rca::ResourceRecord::a(record_name(r.label, r.home, apex), kVendorRecordTtl, r.address);
}

rca::ResourceRecord txt_record(const ChallengeTxt& c) {
    return rca::ResourceRecord::txt(c.owner, kChallengeTtl, {c.value});
}

}  // namespace

std::string record_name(const std::string& label, const std::string& home,
                        const std::string& apex) {
    return label + "." + home + "." + apex;
}

std::string home_root(const std::string& home, const std::string& apex) {
    return home + "." + apex;
}

rca::ZoneSet vendor_zone_over(const std::string& apex_text, uint32_t serial,
                              std::shared_ptr<const rca::ZoneShards> shards) {
    const std::string apex = rca::canonical_name(apex_text);
    if (!rca::is_valid_domain(apex)) throw std::invalid_argument("invalid zone: " + apex_text);
    const std::string name_server = std::string(kNameServerLabel) + "." + apex;
    std::vector<rca::ResourceRecord> records;
    records.push_back(rca::ResourceRecord::soa(
        apex, kVendorRecordTtl, rca::standard_soa(apex, name_server, serial, kVendorNegativeTtl)));
    records.push_back(rca::ResourceRecord::ns(apex, kVendorRecordTtl, name_server));
    std::vector<rca::Zone> zones;
    zones.emplace_back(apex, std::move(records), std::move(shards));
    return rca::ZoneSet(std::move(zones));
}

std::vector<rca::ResourceRecord> shard_records(const std::string& apex,
                                               const std::vector<HomeRecord>& records,
                                               const std::vector<ChallengeTxt>& challenges) {
    std::vector<rca::ResourceRecord> out;
    out.reserve(records.size() + challenges.size());
    for (const auto& r : records) out.push_back(a_record(r, apex));
    for (const auto& c : challenges) out.push_back(txt_record(c));
    return out;
}

std::map<std::string, std::vector<rca::ResourceRecord>> vendor_shards(
    const std::string& apex, const std::vector<HomeRecord>& records,
    const std::vector<ChallengeTxt>& challenges) {
    const rca::ZoneShards roots(apex);  // only for root_of: where each owner's shard is
    std::map<std::string, std::vector<rca::ResourceRecord>> out;
    for (const auto& r : records) out[home_root(r.home, apex)].push_back(a_record(r, apex));
    for (const auto& c : challenges) {
        const std::string root = roots.root_of(c.owner);
        if (root.empty())
            throw std::invalid_argument("challenge owner outside the zone: " + c.owner);
        out[root].push_back(txt_record(c));
    }
    return out;
}

rca::ZoneSet build_vendor_zone(const VendorZoneInput& input) {
    if (!rca::is_valid_domain(rca::canonical_name(input.apex)))
        throw std::invalid_argument("invalid zone: " + input.apex);
    auto shards = std::make_shared<rca::ZoneShards>(input.apex);
    shards->replace_all(vendor_shards(input.apex, input.records, input.challenges));
    return vendor_zone_over(input.apex, input.serial, std::move(shards));
}

}  // namespace hq
