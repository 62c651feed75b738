#pragma once
// Keeps the names the router answers for in step with the store: the home zone served by the DNS
// responder and the devices' <name>.local records published over mDNS. Rebuilt as a whole after
// every change the enrolment service reports, and swapped in at once, so a query never waits on
// SQLite and a revoked device disappears from the zone at once.
#include <mutex>
#include <optional>

#include "core/home_policy.hpp"
#include "core/mdns_publisher.hpp"
#include "core/public_home.hpp"
#include "core/store.hpp"
#include "core/zone_holder.hpp"

namespace rca {

class NameService {
  public:
    /// Names for policy's domain, read from store, published to zones and mdns; router.<domain>
    /// answers router_address when known; the same names under the home's public zone while
    /// public_home holds one.
    NameService(Store& store, const HomePolicy& policy, std::optional<Ipv4> router_address,
                const PublicHomeHolder& public_home, ZoneHolder& zones, MdnsPublisher& mdns);

    /// Rebuilds the zone and the mDNS host set from the store and the public home, and publishes
    /// both.
    void refresh();

  private:
    Store& store_;
    const HomePolicy& policy_;
    std::optional<Ipv4> router_address_;
    const PublicHomeHolder& public_home_;
    ZoneHolder& zones_;
    MdnsPublisher& mdns_;
    std::mutex mutex_;
    uint32_t serial_;
};

}  // namespace rca
