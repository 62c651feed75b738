#pragma once
// The publisher for `--mdns off` and for builds without Avahi (ROUTER_CA_AVAHI=OFF): it publishes
// nothing and says why in its status.
#include <string>

#include "core/mdns_publisher.hpp"

namespace rca::mdns {

/// Publishes nothing.
class NullPublisher final : public MdnsPublisher {
  public:
    /// `why` becomes the status detail ("mDNS is off (--mdns off)").
    explicit NullPublisher(std::string why);
    /// Does nothing.
    void advertise_router(const RouterAdvert& advert) override;
    /// Does nothing.
    void publish_hosts(const std::vector<MdnsHost>& hosts) override;
    /// Disabled, not running, no collisions, `why` as the detail.
    MdnsStatus status() const override;

  private:
    std::string why_;
};

}  // namespace rca::mdns
