#include "hq/daemon/zone_publisher.hpp"

#include <chrono>

#include "hq/core/vendor_zone.hpp"

namespace hq {

ZonePublisher::ZonePublisher(HqStore& store, std::string zone_apex, rca::ZoneHolder& holder)
    : store_(store),
      apex_(std::move(zone_apex)),
      holder_(holder),
      shards_(std::make_shared<rca::ZoneShards>(apex_)),
      // Serials start at the Unix time (a common SOA convention), so a restarted HQ does not go
      // back to a serial a secondary has already seen (RFC 1982 arithmetic).
      serial_(static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count())) {}

void ZonePublisher::replace_home(const std::string& home) {
    shards_->replace(home_root(home, apex_),
                     shard_records(apex_, store_.records_of(home), store_.challenges_of(home)));
}

void ZonePublisher::publish_snapshot() {
    // A new snapshot even though the shards changed in place: the responder's caches are keyed
    // by snapshot (router-ca/dns/response_cache.hpp) and start over on a new one.
    holder_.publish(
        std::make_shared<const rca::ZoneSet>(vendor_zone_over(apex_, ++serial_, shards_)));
}

void ZonePublisher::publish_home(const std::string& home) {
    const std::lock_guard<std::mutex> lock(mutex_);
    replace_home(home);
    publish_snapshot();
}

void ZonePublisher::publish_homes(const std::set<std::string>& homes) {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& home : homes) replace_home(home);
    publish_snapshot();
}

void ZonePublisher::publish_all() {
    const std::lock_guard<std::mutex> lock(mutex_);
    shards_->replace_all(vendor_shards(apex_, store_.records(), store_.challenges()));
    publish_snapshot();
}

}  // namespace hq
