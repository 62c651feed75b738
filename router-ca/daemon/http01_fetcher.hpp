#pragma once
// The router fetches http-01 answers itself (RFC 8555 section 8.3): it sits on the same LAN as
// the device, so the fetch never leaves the home. Everything about the answer is hostile: the
// body is capped, time is bounded, and redirects may not lead anywhere else.
#include "acme/challenge_validator.hpp"

namespace rca {

/// The largest answer read: a key authorization is 43 + 1 + 43 characters.
inline constexpr size_t kMaxHttp01Body = 1024;
/// Seconds allowed to connect, and to wait for each read.
inline constexpr time_t kHttp01TimeoutSeconds = 5;
/// Redirects followed, each to the same host and port only (a path change on the device).
inline constexpr int kMaxHttp01Redirects = 3;

class Http01Fetcher final : public acme::ChallengeValidator {
  public:
    acme::ProbeOutcome check_http01(const acme::Http01Probe& probe) override;
};

}  // namespace rca
