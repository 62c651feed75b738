#pragma once
// The names an ACME finalize CSR asks for. RFC 8555 section 7.4: "The CSR MUST indicate the exact
// same set of requested identifiers as the initial newOrder request", in the commonName and
// subjectAltName; anything else there is refused rather than ignored, so that a client never gets
// a certificate it did not ask for.
#include <cstdint>
#include <string>
#include <vector>

#include "acme/acme_problem.hpp"

namespace rca::acme {

/// Checks that the CSR (DER) names exactly `identifiers` (lowercase): its dNSName SANs and its
/// commonName (if any), compared case-insensitively, duplicates allowed; no other SAN types.
/// badCSR says which name is missing or extra.
AcmeResult<rca::Done> check_csr_names(const std::vector<uint8_t>& csr_der,
                                      const std::vector<std::string>& identifiers);

}  // namespace rca::acme
