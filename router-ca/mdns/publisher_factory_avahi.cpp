// The factory of builds with Avahi (ROUTER_CA_AVAHI=ON, the default).
#include <exception>

#include "mdns/avahi_publisher.hpp"
#include "mdns/null_publisher.hpp"
#include "mdns/publisher_factory.hpp"

namespace rca::mdns {

bool avahi_built_in() { return true; }

}  // namespace rca::mdns

namespace rca {

std::unique_ptr<MdnsPublisher> make_mdns_publisher(bool enabled, mdns::PublisherLog log) {
    if (!enabled) return std::make_unique<mdns::NullPublisher>("mDNS is off (--mdns off)");
    try {
        return std::make_unique<mdns::AvahiPublisher>(log);
    } catch (const std::exception& e) {
        // Only the event thread itself failing lands here (out of memory, thread limits); the
        // daemon's real work does not depend on mDNS, so it carries on without it.
        const std::string why = std::string("mDNS is unavailable: ") + e.what();
        if (log) log(why);
        return std::make_unique<mdns::NullPublisher>(why);
    }
}

}  // namespace rca
