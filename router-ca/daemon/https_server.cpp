#include "daemon/https_server.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace rca {
namespace {

// The application checks client certificates itself (byte-equal to one the CA issued, not
// revoked), so OpenSSL accepts whatever the client presents and the handshake never fails for a
// missing or unknown client certificate.
int accept_any_client_certificate(int, X509_STORE_CTX*) { return 1; }

// Called by OpenSSL at each handshake, before the certificate is sent (SSL_CTX_set_cert_cb).
int present_current_identity(SSL* ssl, void* identity) {
    return static_cast<const TlsIdentity*>(identity)->apply(ssl) ? 1 : 0;
}

}  // namespace

std::unique_ptr<httplib::SSLServer> make_https_server(const TlsIdentity& identity, int threads) {
    auto server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
        SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
        SSL_CTX_set_cert_cb(&ctx, present_current_identity, const_cast<TlsIdentity*>(&identity));
        SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, accept_any_client_certificate);
        // Required once client certificates are requested, or resumed sessions fail.
        static const unsigned char kSessionContext[] = "router-ca";
        SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
        return true;
    });
    if (!server->is_valid()) return nullptr;
    server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server->set_payload_max_length(wire::kMaxBodyBytes);
    server->set_read_timeout(kIoTimeoutSeconds, 0);
    server->set_write_timeout(kIoTimeoutSeconds, 0);
    server->set_keep_alive_max_count(kKeepAliveRequests);
    server->set_keep_alive_timeout(kKeepAliveSeconds);
    // cpp-httplib writes headers and body separately; with Nagle's algorithm on, the body waits
    // for the client's delayed ACK (about 40 ms on Linux) on every response.
    server->set_tcp_nodelay(true);
    return server;
}

std::vector<uint8_t> peer_certificate_der(const httplib::Request& req) {
    if (!req.ssl) return {};
    X509* cert = SSL_get1_peer_certificate(req.ssl);
    if (!cert) return {};
    unsigned char* der = nullptr;
    const int len = i2d_X509(cert, &der);
    std::vector<uint8_t> out;
    if (len > 0) out.assign(der, der + len);
    OPENSSL_free(der);
    X509_free(cert);
    return out;
}

}  // namespace rca
