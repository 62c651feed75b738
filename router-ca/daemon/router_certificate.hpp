#pragma once
// The router's own HTTPS certificate, issued by its own CA for router.<domain> and its LAN
// addresses: never for "localhost" or an address outside the root's constraints, which would make
// every verifier reject the router itself.
#include <botan/rng.h>
#include <botan/x509cert.h>

#include "core/enrolment_service.hpp"
#include "files/data_paths.hpp"

namespace rca {

/// Keeps paths.server_cert()/server_key() valid: reuses them while they name exactly `addresses`,
/// chain to the current intermediate, match each other and are not in the last third of their
/// life; otherwise makes a new key and certificate. Returns the certificate in use.
Botan::X509_Certificate ensure_router_certificate(const DataPaths& paths, EnrolmentService& service,
                                                  const Issuer& issuer,
                                                  const std::vector<Ipv4>& addresses,
                                                  Botan::RandomNumberGenerator& rng, TimePoint now);

}  // namespace rca
