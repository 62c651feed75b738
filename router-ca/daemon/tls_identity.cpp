#include "daemon/tls_identity.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace rca {

struct TlsIdentity::Loaded {
    X509* leaf = nullptr;
    STACK_OF(X509) * chain = nullptr;
    EVP_PKEY* key = nullptr;
};

namespace {

struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

File open_or_throw(const std::string& path) {
    File f(std::fopen(path.c_str(), "r"));
    if (!f) throw std::runtime_error("cannot read " + path);
    return f;
}

}  // namespace

TlsIdentity::Loaded TlsIdentity::load(const std::string& chain_path, const std::string& key_path) {
    Loaded l;
    const File chain = open_or_throw(chain_path);
    l.leaf = PEM_read_X509(chain.get(), nullptr, nullptr, nullptr);
    if (!l.leaf) throw std::runtime_error("no certificate in " + chain_path);
    l.chain = sk_X509_new_null();
    while (X509* extra = PEM_read_X509(chain.get(), nullptr, nullptr, nullptr))
        sk_X509_push(l.chain, extra);
    ERR_clear_error();  // the loop ends on an expected "no start line"
    const File key = open_or_throw(key_path);
    l.key = PEM_read_PrivateKey(key.get(), nullptr, nullptr, nullptr);
    if (!l.key || X509_check_private_key(l.leaf, l.key) != 1) {
        X509_free(l.leaf);
        sk_X509_pop_free(l.chain, X509_free);
        EVP_PKEY_free(l.key);
        throw std::runtime_error("the key in " + key_path + " does not match " + chain_path);
    }
    return l;
}

TlsIdentity::TlsIdentity(std::string chain_path, std::string key_path)
    : chain_path_(std::move(chain_path)), key_path_(std::move(key_path)) {
    reload();
}

TlsIdentity::~TlsIdentity() { clear(); }

void TlsIdentity::clear() {
    X509_free(leaf_);
    sk_X509_pop_free(chain_, X509_free);
    EVP_PKEY_free(key_);
}

void TlsIdentity::reload() {
    const Loaded fresh = load(chain_path_, key_path_);
    const std::lock_guard<std::mutex> lock(mutex_);
    clear();
    leaf_ = fresh.leaf;
    chain_ = fresh.chain;
    key_ = fresh.key;
}

bool TlsIdentity::apply(SSL* ssl) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    // SSL_use_* take their own references, so a later reload() cannot pull them from under a
    // handshake in progress.
    return SSL_use_certificate(ssl, leaf_) == 1 && SSL_use_PrivateKey(ssl, key_) == 1 &&
           SSL_set1_chain(ssl, chain_) == 1;
}

}  // namespace rca
