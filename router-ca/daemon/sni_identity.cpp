#include "daemon/sni_identity.hpp"

#include "common/ascii_lower.hpp"

namespace rca {

SniIdentity::SniIdentity(const TlsCertificateSource& fallback) : fallback_(fallback) {}

void SniIdentity::set(const std::string& server_name,
                      std::shared_ptr<const TlsCertificateSource> identity) {
    const std::lock_guard<std::mutex> lock(mutex_);
    name_ = server_name;
    named_ = std::move(identity);
}

bool SniIdentity::apply(SSL* ssl) const {
    // OpenSSL has parsed the ClientHello's server_name before the certificate callback runs.
    const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    std::shared_ptr<const TlsCertificateSource> named;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (sni && named_ && ascii_iequal(sni, name_)) named = named_;
    }
    // The shared_ptr keeps a replaced identity alive until this handshake has taken its
    // references (SSL_use_* count their own).
    return named ? named->apply(ssl) : fallback_.apply(ssl);
}

}  // namespace rca
