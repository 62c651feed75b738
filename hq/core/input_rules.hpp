#pragma once
// What HQ accepts from routers, as small validators (house style #6). Input is hostile: every
// rule says exactly what is wrong, and nothing is stored until every rule has passed.
#include <optional>
#include <string>

#include "core/ipv4.hpp"
#include "hq/core/hq_error.hpp"

namespace hq {

/// The least entropy a registration token must carry: 128 bits, so that guessing another home's
/// token is out of reach (the token alone proves ownership of a home).
inline constexpr size_t kMinTokenBits = 128;
/// Tokens longer than this are refused: no random token needs it, and it bounds hashing work.
inline constexpr size_t kMaxTokenChars = 256;

/// Accepts a token of at least kMinTokenBits written as lowercase or uppercase hex (>= 32
/// characters) or unpadded base64url (>= 22 characters); bad_request otherwise.
HqResult<rca::Done> check_token(const std::string& token);

/// Parses a dotted-quad IPv4 address inside the RFC 1918 private ranges (10/8, 172.16/12,
/// 192.168/16): the only addresses HQ publishes, since its names exist to reach LAN devices.
/// bad_request names the address and the rule.
HqResult<rca::Ipv4> parse_private_address(const std::string& text);

/// Accepts one lowercase LDH label (RFC 1123 §2.1): a-z, 0-9 and inner '-', 1-63 characters.
/// Uppercase is refused rather than folded, so a name is spelled one way everywhere.
HqResult<rca::Done> check_label(const std::string& label, const char* what);

}  // namespace hq
