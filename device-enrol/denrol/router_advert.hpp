#pragma once
// What a router-ca announces over DNS-SD (RFC 6763): the service `_router-ca._tcp`, whose TXT
// record carries the SHA-256 of the router's root (`fp=`), the home domain (`domain=`) and the API
// path (`path=`). Pure: router_discovery hands in what Avahi resolved, tests hand in tables.
//
// The announcement is not trusted by itself (anyone on the LAN can answer mDNS): the root the
// router then serves must have the announced fingerprint, and the announced fingerprint must be
// the one the user gave with --ca-fingerprint, if any.
#include <string>
#include <vector>

#include "denrol/errors.hpp"
#include "wire/router_advert_wire.hpp"

namespace denrol {

/// The DNS-SD service type router-ca advertises.
using rca::wire::kRouterServiceType;

/// One router found over mDNS.
struct AdvertisedRouter {
    std::string instance;     ///< the DNS-SD instance name, for messages
    std::string address;      ///< the IPv4 address the service resolved to
    int port = 0;             ///< the HTTPS port
    std::string fingerprint;  ///< TXT `fp=`, normalised to lower-case hex
    std::string domain;       ///< TXT `domain=`; "" when absent
    std::string api_path;     ///< TXT `path=`; "" when absent
};

/// The value of `key` in DNS-SD TXT strings: keys compare without case and only the first
/// occurrence counts (RFC 6763 section 6.4); "" when absent or without a value.
std::string txt_value(const std::vector<std::string>& txt, const std::string& key);

/// Reads one resolved service; Errc::protocol naming the problem when the TXT record has no
/// valid `fp=`, the address is not IPv4 or the port is 0.
Result<AdvertisedRouter> read_advert(const std::string& instance, const std::string& address,
                                     int port, const std::vector<std::string>& txt);

/// "https://ADDRESS:PORT", the form --router takes.
std::string advertised_url(const AdvertisedRouter& router);

/// Checks the announced fingerprint against the one the user gave (normalised; "" for none):
/// Errc::untrusted naming both when they differ.
Result<Done> check_advertised_fingerprint(const AdvertisedRouter& router,
                                          const std::string& expected);

}  // namespace denrol
