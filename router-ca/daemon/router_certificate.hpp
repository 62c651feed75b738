#pragma once
// The router's own HTTPS certificate, issued by its own CA for router.<domain> and its LAN
// addresses: never for "localhost" or an address outside the root's constraints, which would make
// every verifier reject the router itself.
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/enrolment_service.hpp"
#include "core/time_source.hpp"
#include "daemon/tls_identity.hpp"
#include "files/data_paths.hpp"

namespace rca {

/// Keeps paths.server_cert()/server_key() valid: reuses them while they name exactly `addresses`,
/// chain to the current intermediate, match each other and are not in the last third of their
/// life; otherwise makes a new key and certificate. Returns the certificate in use.
Botan::X509_Certificate ensure_router_certificate(const DataPaths& paths, EnrolmentService& service,
                                                  const Issuer& issuer,
                                                  const std::vector<Ipv4>& addresses,
                                                  Botan::RandomNumberGenerator& rng, TimePoint now);

/// The router's own certificate as the HTTPS server presents it. A router runs for months: the
/// certificate is renewed in place and served from the next handshake on, rather than left to
/// expire between restarts.
class RouterCertificateKeeper {
  public:
    /// Ensures the certificate (ensure_router_certificate) and loads it; throws when it can be
    /// neither issued nor read. Every reference must outlive this.
    RouterCertificateKeeper(const DataPaths& paths, EnrolmentService& service, const Issuer& issuer,
                            std::vector<Ipv4> addresses, Botan::RandomNumberGenerator& rng,
                            const TimeSource& clock);
    /// Renews the certificate when ensure_router_certificate makes a new one and serves it from
    /// then on; logs the renewal, or the failure (kept for the next try). Thread-safe: the event
    /// loop and an intermediate rotation on the control socket both call it.
    void keep();
    /// What the HTTPS server presents.
    TlsIdentity& identity() { return *identity_; }

  private:
    const DataPaths& paths_;
    EnrolmentService& service_;
    const Issuer& issuer_;
    const std::vector<Ipv4> addresses_;
    Botan::RandomNumberGenerator& rng_;
    const TimeSource& clock_;
    std::mutex mutex_;
    std::string serial_;
    std::unique_ptr<TlsIdentity> identity_;
};

}  // namespace rca
