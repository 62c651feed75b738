#include "mdns/null_publisher.hpp"

namespace rca::mdns {

NullPublisher::NullPublisher(std::string why) : why_(std::move(why)) {}

void NullPublisher::advertise_router(const RouterAdvert&) {}

void NullPublisher::publish_hosts(const std::vector<MdnsHost>&) {}

MdnsStatus NullPublisher::status() const { return MdnsStatus{false, false, {}, why_}; }

}  // namespace rca::mdns
