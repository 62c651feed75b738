#pragma once
// The router validates ACME challenges itself (RFC 8555 section 8.3, RFC 8737): it sits on the
// same LAN as the device, so the fetch never leaves the home. Everything the device answers is
// hostile: bodies are capped, time is bounded, redirects may not lead anywhere else, and a TLS
// handshake is used only to read one certificate.
#include "acme/challenge_validator.hpp"

namespace rca {

/// The largest http-01 answer read: a key authorization is 43 + 1 + 43 characters.
inline constexpr size_t kMaxHttp01Body = 1024;
/// Seconds allowed to connect, and to wait for each read or handshake step.
inline constexpr time_t kChallengeTimeoutSeconds = 5;
/// Redirects followed, each to the same host and port only (a path change on the device).
inline constexpr int kMaxHttp01Redirects = 3;

class ChallengeFetcher final : public acme::ChallengeValidator {
  public:
    /// http01_fetch.cpp.
    acme::ProbeOutcome check_http01(const acme::Http01Probe& probe) override;
    /// tls_alpn01_fetch.cpp.
    acme::ProbeOutcome check_tls_alpn01(const acme::TlsAlpnProbe& probe) override;
};

}  // namespace rca
