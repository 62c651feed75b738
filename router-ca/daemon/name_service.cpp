#include "daemon/name_service.hpp"

#include <chrono>

#include "core/home_zone.hpp"
#include "daemon/log.hpp"

namespace rca {

NameService::NameService(Store& store, const HomePolicy& policy, std::optional<Ipv4> router_address,
                         const PublicHomeHolder& public_home, ZoneHolder& zones,
                         MdnsPublisher& mdns)
    : store_(store),
      policy_(policy),
      router_address_(router_address),
      public_home_(public_home),
      zones_(zones),
      mdns_(mdns),
      // SOA serials must grow across restarts too (RFC 1982); seconds since the epoch do, and a
      // counter on top keeps several changes within one second apart.
      serial_(static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count())) {}

void NameService::refresh() {
    const std::lock_guard<std::mutex> lock(mutex_);
    HomeZoneInput input{policy_.domain, policy_.lan_subnets, router_address_, {}, ++serial_, {}};
    if (const auto home = public_home_.get()) input.public_zone = home->zone;
    std::vector<MdnsHost> local_hosts;
    for (const auto& device : store_.devices()) {
        // The router answers for itself (router_address); revoked devices vanish at once.
        if (device.source == DeviceSource::router || device.revoked_at || !device.ipv4) continue;
        input.hosts.emplace_back(device.name, *device.ipv4);
        local_hosts.push_back({device.name, *device.ipv4});
    }
    try {
        zones_.publish(std::make_shared<const ZoneSet>(build_home_zone(input)));
    } catch (const std::exception& e) {
        log_line(std::string("cannot rebuild the home zone, keeping the previous one: ") +
                 e.what());
    }
    mdns_.publish_hosts(policy_.local_names ? local_hosts : std::vector<MdnsHost>{});
}

}  // namespace rca
