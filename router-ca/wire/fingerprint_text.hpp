#pragma once
// Fingerprints as people compare them: uppercase hex bytes joined by ':' in groups of four bytes,
// so that two screens can be compared a group at a time. Pure; shared by the router and
// device-enrol.
#include <string>

namespace rca::wire {

/// "ab12cd34ef56..." (any case, ':' ignored) as "AB:12:CD:34 EF:56:...". Returns the input
/// unchanged if it is not an even number of hex digits.
std::string group_fingerprint(const std::string& hex);

/// A key's short fingerprint: the first 8 octets of its key id (the SHA-256 of its DER
/// SubjectPublicKeyInfo, in hex), grouped: "AB:12:CD:34 EF:56:78:90". device-enrol prints it and
/// the router's status and web UI show it beside each request, so that the admin approves the
/// right one by hand.
std::string short_key_fingerprint(const std::string& key_id_hex);

}  // namespace rca::wire
