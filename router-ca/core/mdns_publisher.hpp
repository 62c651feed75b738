#pragma once
// What the daemon publishes over multicast DNS (RFC 6762) with DNS-SD (RFC 6763), declared by the
// core that needs it (house style #4). mdns/avahi_publisher.* implements it through avahi-daemon,
// mdns/null_publisher.* for builds without Avahi or with --mdns off; mdns/publisher_factory.hpp
// picks one.
#include <string>
#include <vector>

#include "core/ipv4.hpp"

namespace rca {

/// How devices find the router: `_router-ca._tcp` with this TXT, and the web UI as `_https._tcp`.
struct RouterAdvert {
    int https_port = 0;                ///< the port of the device API and the web UI
    std::string root_fingerprint_hex;  ///< SHA-256 of the root's DER, hex (TXT `fp=`)
    std::string domain;                ///< the home domain (TXT `domain=`)
    std::string api_path = "/api/v1";  ///< the device API's prefix (TXT `path=`)
    std::string instance_name;         ///< DNS-SD instance name; "" for "router-ca on <host>"
    bool operator==(const RouterAdvert& o) const {
        return https_port == o.https_port && root_fingerprint_hex == o.root_fingerprint_hex &&
               domain == o.domain && api_path == o.api_path && instance_name == o.instance_name;
    }
    bool operator!=(const RouterAdvert& o) const { return !(*this == o); }
};

/// One device's address record, published as `<label>.local` A `address`.
struct MdnsHost {
    std::string label;  ///< one LDH label, the device's name
    Ipv4 address;
};

/// What the publisher is doing, for the log, the status command and the web UI.
struct MdnsStatus {
    bool enabled = false;                 ///< false for the null publisher
    bool daemon_running = false;          ///< connected to a running avahi-daemon
    std::vector<std::string> collisions;  ///< one sentence per name someone else on the LAN holds
    std::string detail;                   ///< one sentence for people
};

/// Publishes the router's services and the devices' `.local` names. Every method may be called
/// from any thread and returns without waiting for the network; records follow asynchronously.
class MdnsPublisher {
  public:
    virtual ~MdnsPublisher() = default;
    /// Advertises (or re-advertises, when it changed) `_router-ca._tcp` and `_https._tcp`.
    virtual void advertise_router(const RouterAdvert& advert) = 0;
    /// Replaces the whole set of `<label>.local` A records with `hosts`.
    virtual void publish_hosts(const std::vector<MdnsHost>& hosts) = 0;
    /// A snapshot of the publisher's state.
    virtual MdnsStatus status() const = 0;
};

}  // namespace rca
