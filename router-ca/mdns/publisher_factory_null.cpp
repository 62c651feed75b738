// The factory of builds without Avahi (ROUTER_CA_AVAHI=OFF).
#include "mdns/null_publisher.hpp"
#include "mdns/publisher_factory.hpp"

namespace rca::mdns {

bool avahi_built_in() { return false; }

}  // namespace rca::mdns

namespace rca {

std::unique_ptr<MdnsPublisher> make_mdns_publisher(bool enabled, mdns::PublisherLog log) {
    if (!enabled) return std::make_unique<mdns::NullPublisher>("mDNS is off (--mdns off)");
    const std::string why =
        "mDNS was asked for, but this router-ca was built without Avahi (ROUTER_CA_AVAHI=OFF); "
        "nothing is published";
    if (log) log(why);
    return std::make_unique<mdns::NullPublisher>(why);
}

}  // namespace rca
