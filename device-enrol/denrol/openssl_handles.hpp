#pragma once
// RAII owners for the OpenSSL objects the device client handles (house style #13), and PEM
// readers that return every object in a text. OpenSSL rather than Botan wherever the result feeds
// a TLS handshake, so the handshake and our checks read the same bytes the same way.
#include <memory>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace denrol {

/// Frees with the matching OpenSSL function.
struct OpenSslFree {
    void operator()(X509* p) const { X509_free(p); }
    void operator()(X509_CRL* p) const { X509_CRL_free(p); }
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
    void operator()(X509_STORE* p) const { X509_STORE_free(p); }
    void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
    void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};

using X509Ptr = std::unique_ptr<X509, OpenSslFree>;
using X509CrlPtr = std::unique_ptr<X509_CRL, OpenSslFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslFree>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslFree>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), OpenSslFree>;

/// Every certificate in a PEM text, in order (none when there is none).
std::vector<X509Ptr> read_pem_certs(const std::string& pem);

/// Every CRL in a PEM text, in order.
std::vector<X509CrlPtr> read_pem_crls(const std::string& pem);

/// The first private key in a PEM text; null when there is none.
PkeyPtr read_pem_key(const std::string& pem);

/// The PEM text of one certificate / one CRL.
std::string pem_of(X509* cert);
std::string pem_of(X509_CRL* crl);

}  // namespace denrol
