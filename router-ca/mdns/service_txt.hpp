#pragma once
// The DNS-SD services router-ca advertises and their TXT records (RFC 6763 section 6). Pure: the
// publisher hands the strings to Avahi, tests check them directly.
#include <optional>
#include <string>
#include <vector>

#include "core/mdns_publisher.hpp"
#include "wire/router_advert_wire.hpp"

namespace rca::mdns {

/// How devices find the router (device-enrol browses for the same type).
using wire::kRouterServiceType;
/// The web UI, so that it appears in ordinary service browsers (RFC 6763 section 7).
inline constexpr const char* kWebUiServiceType = "_https._tcp";

/// DNS-SD instance names are at most 63 octets of UTF-8 (RFC 6763 section 4.1.1).
inline constexpr size_t kMaxInstanceNameBytes = 63;

/// Why `advert` cannot be published ("the root fingerprint must be 64 hex digits"), or nullopt.
std::optional<std::string> advert_problem(const RouterAdvert& advert);

/// `_router-ca._tcp`'s TXT strings, in this order: `fp=` (lower-case hex), `domain=`, `path=`.
/// Call only for an advert without a problem.
std::vector<std::string> router_txt(const RouterAdvert& advert);

/// `_https._tcp`'s TXT strings: `path=/`, the key web browsers' service lists read.
std::vector<std::string> web_ui_txt();

/// The instance name to register: the advert's, else "router-ca on <host_name>", cut to
/// kMaxInstanceNameBytes without splitting a UTF-8 sequence.
std::string instance_name_for(const RouterAdvert& advert, const std::string& host_name);

}  // namespace rca::mdns
