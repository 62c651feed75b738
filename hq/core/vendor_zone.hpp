#pragma once
// The vendor zone HQ serves authoritatively: SOA and NS at the apex, one A record per home
// record (<label>.<home>.<ZONE>), and the _acme-challenge TXT records of orders being validated.
// Pure: made from what the store holds and published to a ZoneHolder, like the router's home
// zone (router-ca/core/home_zone.*), and answered by the same DNS responder. Each home is a
// shard of its own (core/zone_shards.hpp), replaced alone when the home changes, so a write
// costs the size of its home, not of the zone (issue 17).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/zone_set.hpp"
#include "core/zone_shards.hpp"
#include "hq/core/hq_types.hpp"

namespace hq {

/// 60 s for home records: addresses move with DHCP (the same reasoning as the home zone's).
inline constexpr uint32_t kVendorRecordTtl = 60;
/// Challenge records are read once by the CA's validation; a short TTL keeps a resolver from
/// answering a retried validation with a stale value (RFC 8555 §8.4 allows several TXT values).
inline constexpr uint32_t kChallengeTtl = 10;
/// Negative answers (RFC 2308): a home's new record must resolve within a minute of a miss.
inline constexpr uint32_t kVendorNegativeTtl = 60;
/// The apex's name server label: ns1.<ZONE>, which the vendor delegates to (with glue) in the
/// parent zone.
inline constexpr const char* kNameServerLabel = "ns1";

/// Everything the vendor zone is made from.
struct VendorZoneInput {
    std::string apex;  ///< --zone, e.g. "vendor-cert.example"
    std::vector<HomeRecord> records;
    std::vector<ChallengeTxt> challenges;
    uint32_t serial = 1;
};

/// The zone set of one zone, the vendor zone, built whole (every home's shard). Throws
/// std::invalid_argument for an invalid apex or a record name that is not a zone name (the store
/// holds only validated labels).
rca::ZoneSet build_vendor_zone(const VendorZoneInput& input);

/// The vendor zone's apex (SOA with serial, NS) answering every name below it from shards.
/// Cheap: the shards are shared, not copied. Throws std::invalid_argument for an invalid apex.
rca::ZoneSet vendor_zone_over(const std::string& apex, uint32_t serial,
                              std::shared_ptr<const rca::ZoneShards> shards);

/// <home>.<apex>: the root of a home's shard.
std::string home_root(const std::string& home, const std::string& apex);

/// The records of a shard made from records and challenges all of one home: A records and the
/// challenge TXT records. Both TXT values of two orders for one name are kept: they may be
/// validated at once (RFC 8555 §8.4, "the server MUST accept any").
std::vector<rca::ResourceRecord> shard_records(const std::string& apex,
                                               const std::vector<HomeRecord>& records,
                                               const std::vector<ChallengeTxt>& challenges);

/// Every home's shard: shard root -> its records, for ZoneShards::replace_all.
std::map<std::string, std::vector<rca::ResourceRecord>> vendor_shards(
    const std::string& apex, const std::vector<HomeRecord>& records,
    const std::vector<ChallengeTxt>& challenges);

/// <label>.<home>.<apex>.
std::string record_name(const std::string& label, const std::string& home, const std::string& apex);

}  // namespace hq
