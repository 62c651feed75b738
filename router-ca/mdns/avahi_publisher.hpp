#pragma once
// Publishing through avahi-daemon (avahi-client over the system D-Bus), on Avahi's own event
// thread (avahi_threaded_poll). The daemon's threads only store what they want published and
// wake that thread, so a caller never waits on D-Bus.
//
// Life cycle: the client is made with AVAHI_CLIENT_NO_FAIL, so router-ca starts whether or not
// avahi-daemon runs, says so once, and publishes when it appears. When avahi-daemon or D-Bus goes
// away the client and its entry groups are dropped and made again (architecture brief, Facts
// checked). Names someone else on the LAN already holds (RFC 6762 section 9) are never ignored:
// a service takes Avahi's alternative name ("router-ca #2", RFC 6763 section 9) and a device's
// `.local` name stays unpublished; both are logged and listed in status().collisions.
#include <memory>

#include "core/mdns_publisher.hpp"
#include "mdns/publisher_factory.hpp"

namespace rca::mdns {

/// The Avahi publisher. `log` is called on Avahi's thread and must not call back into it.
class AvahiPublisher final : public MdnsPublisher {
  public:
    /// Starts Avahi's event thread, which connects (or waits for avahi-daemon). Throws
    /// std::runtime_error only when the event thread cannot be made.
    explicit AvahiPublisher(PublisherLog log);
    /// Stops the event thread; the records go with the client (Avahi sends goodbyes).
    ~AvahiPublisher() override;
    AvahiPublisher(const AvahiPublisher&) = delete;
    AvahiPublisher& operator=(const AvahiPublisher&) = delete;

    /// Stores the advert and lets the event thread (re)register the two services.
    void advertise_router(const RouterAdvert& advert) override;
    /// Stores the host set and lets the event thread apply the difference.
    void publish_hosts(const std::vector<MdnsHost>& hosts) override;
    /// A snapshot, taken under the event thread's lock.
    MdnsStatus status() const override;

  private:
    class Engine;
    std::unique_ptr<Engine> engine_;
};

}  // namespace rca::mdns
