#pragma once
// The one thing the ACME service asks of the network: fetch an http-01 answer (RFC 8555 section
// 8.3). Declared here, implemented in the daemon (daemon/http01_fetcher.*), replaced in unit tests.
#include <cstdint>
#include <string>

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
};

}  // namespace rca::acme
