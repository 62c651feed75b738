#pragma once
// How the router announces itself over DNS-SD (RFC 6763) and how device-enrol reads it: shared
// so that the two can never drift apart.

namespace rca::wire {

/// The DNS-SD service type router-ca advertises and device-enrol browses for.
inline constexpr const char* kRouterServiceType = "_router-ca._tcp";
/// TXT keys (RFC 6763 section 6.4 asks for short ones): the root's SHA-256 (hex), the home
/// domain, and the device API's path prefix.
inline constexpr const char* kTxtFingerprint = "fp";
inline constexpr const char* kTxtDomain = "domain";
inline constexpr const char* kTxtPath = "path";

}  // namespace rca::wire
