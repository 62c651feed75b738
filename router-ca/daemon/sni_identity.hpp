#pragma once
// Two certificates on one HTTPS port, chosen by the name the client asks for (SNI, RFC 6066
// section 3): the router's local certificate (router.<home domain>, its LAN addresses; trusted
// where the home root is installed) for everything else, and its publicly trusted one for
// router.<home>.<ZONE> once HQ obtained it (issue 6), for browsers without the home root. Either
// can be replaced while the server runs; each handshake takes what is current.
#include <memory>
#include <mutex>
#include <string>

#include "daemon/tls_identity.hpp"

namespace rca {

class SniIdentity final : public TlsCertificateSource {
  public:
    /// Presents `fallback` (which must outlive this) until set() names another identity.
    explicit SniIdentity(const TlsCertificateSource& fallback);

    /// From the next handshake on, a client whose SNI is `server_name` (compared without case)
    /// gets `identity`; replaces the previous named one.
    void set(const std::string& server_name, std::shared_ptr<const TlsCertificateSource> identity);
    bool apply(SSL* ssl) const override;

  private:
    const TlsCertificateSource& fallback_;
    mutable std::mutex mutex_;
    std::string name_;
    std::shared_ptr<const TlsCertificateSource> named_;
};

}  // namespace rca
