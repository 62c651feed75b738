#pragma once
// Chooses the mDNS publisher. CMake compiles exactly one of publisher_factory_avahi.cpp and
// publisher_factory_null.cpp (option ROUTER_CA_AVAHI), so no source has an #ifdef (house style #7).
#include <functional>
#include <memory>
#include <string>

#include "core/mdns_publisher.hpp"

namespace rca::mdns {

/// Where the publisher's sentences go; called from Avahi's thread, so it must be thread-safe.
using PublisherLog = std::function<void(const std::string&)>;

/// True when this build can publish through Avahi.
bool avahi_built_in();

}  // namespace rca::mdns

namespace rca {

/// The Avahi publisher when `enabled` and built with Avahi, else a NullPublisher whose status
/// says why. Never fails: without avahi-daemon the Avahi publisher waits for it (and says so
/// once through `log`).
std::unique_ptr<MdnsPublisher> make_mdns_publisher(bool enabled, mdns::PublisherLog log);

}  // namespace rca
