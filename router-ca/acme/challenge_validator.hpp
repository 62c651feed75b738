#pragma once
// The one thing the ACME service asks of the network: fetch a challenge answer (http-01, RFC 8555
// section 8.3; tls-alpn-01, RFC 8737). Declared here, implemented in the daemon
// (daemon/challenge_fetcher.*), replaced in unit tests.
#include <cstdint>
#include <string>
#include <vector>

#include "acme/acme_types.hpp"

namespace rca::acme {

/// What to fetch: http://<host>:<port>/.well-known/acme-challenge/<token> from `address`.
struct Http01Probe {
    std::string host;  ///< the identifier, sent as the Host header
    Ipv4 address;      ///< where to connect: a LAN address
    uint16_t port = 80;
    std::string token;
    std::string expected;  ///< the key authorization: token "." thumbprint (section 8.1)
};

/// What to check for tls-alpn-01 (RFC 8737 section 3): a TLS handshake with `address:port`
/// naming `host` in SNI and offering only the "acme-tls/1" protocol must present a certificate
/// for exactly `host` with a critical acmeIdentifier extension holding SHA-256(key authorization).
struct TlsAlpnProbe {
    std::string host;
    Ipv4 address;
    uint16_t port = 443;
    std::vector<uint8_t> expected_digest;  ///< SHA-256 of token "." thumbprint
};

/// The outcome: an empty error.type means the answer matched.
struct ProbeOutcome {
    StoredProblem error;
    bool ok() const { return error.type.empty(); }
};

class ChallengeValidator {
  public:
    virtual ~ChallengeValidator() = default;
    /// Fetches and compares; never throws for network trouble (that is an outcome).
    virtual ProbeOutcome check_http01(const Http01Probe& probe) = 0;
    /// Handshakes and checks; never throws for network trouble.
    virtual ProbeOutcome check_tls_alpn01(const TlsAlpnProbe& probe) = 0;
};

}  // namespace rca::acme
