#pragma once
// The vendor zone HQ serves authoritatively: SOA and NS at the apex, one A record per home
// record (<label>.<home>.<ZONE>), and the _acme-challenge TXT records of orders being validated.
// Pure: built from what the store holds and published to a ZoneHolder, like the router's home
// zone (router-ca/core/home_zone.*), and answered by the same DNS responder.
#include <cstdint>
#include <string>
#include <vector>

#include "core/zone_set.hpp"
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

/// The zone set of one zone, the vendor zone. Throws std::invalid_argument for an invalid apex
/// or a record name that is not a zone name (the store holds only validated labels).
rca::ZoneSet build_vendor_zone(const VendorZoneInput& input);

/// <label>.<home>.<apex>.
std::string record_name(const std::string& label, const std::string& home,
                        const std::string& apex);

}  // namespace hq
