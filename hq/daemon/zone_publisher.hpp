#pragma once
// Rebuilds the vendor zone from the store and publishes it to the DNS responder's ZoneHolder, in
// one swap, after every change of records or challenges.
#include <mutex>
#include <string>

#include "core/zone_holder.hpp"
#include "hq/core/hq_store.hpp"

namespace hq {

class ZonePublisher {
  public:
    /// Publishes zone_apex's zone from store into holder; both must outlive it.
    ZonePublisher(HqStore& store, std::string zone_apex, rca::ZoneHolder& holder);
    /// Reads the store and publishes a new snapshot with the next SOA serial.
    void publish();

  private:
    HqStore& store_;
    std::string apex_;
    rca::ZoneHolder& holder_;
    std::mutex mutex_;  // one rebuild at a time, so serials and snapshots stay in order
    uint32_t serial_;
};

}  // namespace hq
