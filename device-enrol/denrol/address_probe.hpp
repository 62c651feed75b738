#pragma once
// Which LAN address this device has, as the router sees it: the source address the kernel picks
// for a packet to the router. Behind an interface so that `run` can be tested with scripted
// addresses (house style #4).
#include <optional>
#include <string>
#include <utility>

#include "denrol/endpoint.hpp"

namespace denrol {

/// Finds this device's address towards the router.
class AddressProbe {
  public:
    virtual ~AddressProbe() = default;
    /// The local IPv4 address used to reach `router` (dotted quad), or nullopt when there is no
    /// route or the router's name does not resolve.
    virtual std::optional<std::string> source_towards(const Endpoint& router) const = 0;
};

/// Always the one address the device was told to connect from (--ipv4).
class GivenAddressProbe final : public AddressProbe {
  public:
    /// `address` is a dotted quad.
    explicit GivenAddressProbe(std::string address) : address_(std::move(address)) {}
    /// The given address, whatever the router.
    std::optional<std::string> source_towards(const Endpoint&) const override { return address_; }

  private:
    std::string address_;
};

/// Asks the kernel: connect() a UDP socket to the router and read getsockname(). Connecting a
/// UDP socket only selects a route and a source address; no packet is sent.
class KernelAddressProbe final : public AddressProbe {
  public:
    /// See AddressProbe::source_towards.
    std::optional<std::string> source_towards(const Endpoint& router) const override;
};

}  // namespace denrol
