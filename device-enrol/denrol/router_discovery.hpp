#pragma once
// Finding the router on the LAN with DNS-SD over mDNS (RFC 6763, RFC 6762) when the user gives no
// --router. CMake compiles router_discovery_avahi.cpp (through avahi-daemon, the default) or
// router_discovery_none.cpp (ROUTER_CA_AVAHI=OFF), so no source has an #ifdef (house style #7).
#include <chrono>

#include "denrol/errors.hpp"
#include "denrol/log.hpp"
#include "denrol/router_advert.hpp"

namespace denrol {

/// How long `pair` browses before giving up: a responder answers a query within about a
/// second (RFC 6762 section 6), and the first queries of a browse are a second apart.
inline constexpr std::chrono::seconds kDiscoveryTimeout{10};

/// True when this build can browse over mDNS.
bool router_discovery_built_in();

/// Browses for `_router-ca._tcp` and returns the first instance that resolves to an IPv4
/// address with a valid `fp=`; answers without one are skipped and logged. Errc::unreachable
/// with a sentence saying what to do when avahi-daemon is not running, nothing answers within
/// `timeout`, or this build has no mDNS (then --router is needed).
Result<AdvertisedRouter> discover_router(std::chrono::milliseconds timeout, const Log& log);

}  // namespace denrol
