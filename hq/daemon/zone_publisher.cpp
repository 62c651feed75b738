#include "hq/daemon/zone_publisher.hpp"

#include <chrono>

#include "hq/core/vendor_zone.hpp"

namespace hq {

ZonePublisher::ZonePublisher(HqStore& store, std::string zone_apex, rca::ZoneHolder& holder)
    : store_(store),
      apex_(std::move(zone_apex)),
      holder_(holder),
      // Serials start at the Unix time (a common SOA convention), so a restarted HQ does not go
      // back to a serial a secondary has already seen (RFC 1982 arithmetic).
      serial_(static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count())) {}

void ZonePublisher::publish() {
    const std::lock_guard<std::mutex> lock(mutex_);
    VendorZoneInput input{apex_, store_.records(), store_.challenges(), ++serial_};
    holder_.publish(std::make_shared<const rca::ZoneSet>(build_vendor_zone(input)));
}

}  // namespace hq
