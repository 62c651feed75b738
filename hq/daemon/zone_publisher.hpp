#pragma once
// Publishes the vendor zone from the store to the DNS responder's ZoneHolder. Each home is a shard
// of its own (hq/core/vendor_zone.hpp): a change to a home's records or challenges reads and
// replaces that home's shard only, then publishes a new apex snapshot (new SOA serial) over the
// shared shards, so a write costs the size of its home and not of the zone (issue 17).
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/zone_holder.hpp"
#include "core/zone_shards.hpp"
#include "hq/core/hq_store.hpp"

namespace hq {

class ZonePublisher {
  public:
    /// Publishes zone_apex's zone from store into holder; both must outlive it.
    ZonePublisher(HqStore& store, std::string zone_apex, rca::ZoneHolder& holder);
    /// Reads one home's records and challenges and publishes them in place of its shard.
    void publish_home(const std::string& home);
    /// The same for several homes, with one new snapshot.
    void publish_homes(const std::set<std::string>& homes);
    /// Reads every home from the store and replaces every shard (start-up, and the change feed's
    /// safety net after a lost notification).
    void publish_all();

  private:
    void replace_home(const std::string& home);  // mutex_ held
    void publish_snapshot();                     // mutex_ held

    HqStore& store_;
    std::string apex_;
    rca::ZoneHolder& holder_;
    std::shared_ptr<rca::ZoneShards> shards_;
    // One change at a time, read and replaced under the lock: a home read before another write
    // committed is never published after the newer read, and serials stay in order.
    std::mutex mutex_;
    uint32_t serial_;
};

}  // namespace hq
