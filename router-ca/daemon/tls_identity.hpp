#pragma once
// The router's TLS certificate as the HTTPS server presents it, replaceable while the server runs:
// every handshake takes the current certificate, key and chain from here (OpenSSL's certificate
// callback), so a renewed certificate is served from the next connection on, without a restart
// and without touching the shared SSL_CTX while other threads use it.
#include <openssl/ssl.h>

#include <mutex>
#include <string>

namespace rca {

/// What the HTTPS server asks, at each handshake, for the certificate, chain and key to present.
class TlsCertificateSource {
  public:
    virtual ~TlsCertificateSource() = default;
    /// Puts a certificate, chain and key on one connection (inside its handshake); false when
    /// it cannot.
    virtual bool apply(SSL* ssl) const = 0;
};

class TlsIdentity final : public TlsCertificateSource {
  public:
    /// Loads the PEM chain (leaf first) and the PEM private key; throws std::runtime_error
    /// naming the file when either cannot be read or they do not match.
    TlsIdentity(std::string chain_path, std::string key_path);
    ~TlsIdentity();
    TlsIdentity(const TlsIdentity&) = delete;
    TlsIdentity& operator=(const TlsIdentity&) = delete;

    /// Re-reads both files (after a renewal); on failure keeps the previous identity and throws.
    void reload();
    /// Puts the current certificate, chain and key on one connection.
    bool apply(SSL* ssl) const override;

  private:
    struct Loaded;
    static Loaded load(const std::string& chain_path, const std::string& key_path);
    void clear();

    std::string chain_path_;
    std::string key_path_;
    mutable std::mutex mutex_;
    X509* leaf_ = nullptr;
    STACK_OF(X509) * chain_ = nullptr;
    EVP_PKEY* key_ = nullptr;
};

}  // namespace rca
