#pragma once
// Which LAN address a device's certificate may name (issue 15, part 2). A device never chooses
// it: the router takes the connection's source. And it is never the router's own address nor
// another device's current one, since a certificate for either lets its holder pose as that host
// to every browser that trusts the home root: a paired device that was given IP:192.168.1.1 (the
// admin UI's address) captured the admin password with one ARP spoof.
#include <optional>
#include <string>
#include <vector>

#include "core/home_policy.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace rca {

/// What a certificate may name for a device that reached the router from some address.
struct AddressVerdict {
    std::optional<Ipv4> address;  ///< the address, when a certificate may name it
    /// Why a LAN address was withheld (the router's own, another device's); "" otherwise.
    std::string withheld;
};

/// The verdict for `candidate` (the connection's source, or the address the device was last
/// given), for device `self` (0: not created yet). `router` holds the router's own addresses and
/// `holders` the unrevoked devices whose current address is `candidate`. An address outside the
/// LAN subnets is simply not named (a VPN peer, say): withheld stays "".
AddressVerdict judge_device_address(const HomePolicy& policy, const std::vector<Ipv4>& router,
                                    std::optional<Ipv4> candidate,
                                    const std::vector<Device>& holders, int64_t self);

/// Checks an address a device states in a body ("ipv4", sent by devices built before the router
/// took the connection's source): "" or the source itself, else an Error saying why.
Result<Done> check_stated_address(const std::string& stated, std::optional<Ipv4> source);

}  // namespace rca
