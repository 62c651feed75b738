// tls-alpn-01 (RFC 8737): the router handshakes with the device offering only "acme-tls/1" and
// reads the self-signed certificate it presents; nothing else is sent over the connection.
#include <arpa/inet.h>
#include <botan/ber_dec.h>
#include <botan/pkix_types.h>
#include <botan/x509cert.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "daemon/challenge_fetcher.hpp"

namespace rca {
namespace {

// RFC 8737 section 6.1: the id-pe-acmeIdentifier extension.
const Botan::OID kAcmeIdentifier("1.3.6.1.5.5.7.1.31");
// The ALPN protocol list, in its wire form: one length-prefixed name (RFC 7301 section 3.1).
constexpr unsigned char kAlpn[] =
    "\x0a"
    "acme-tls/1";

acme::ProbeOutcome failure(const char* type, std::string detail) {
    return acme::ProbeOutcome{{type, std::move(detail)}};
}

struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0) ::close(fd);
    }
};

// A TCP connection to address:port within the timeout, with the same timeout on each read and
// write after; -1 with `error` set when it cannot be made.
int connect_within(Ipv4 address, uint16_t port, std::string& error) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error = std::strerror(errno);
        return -1;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(address.value);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 &&
        errno != EINPROGRESS) {
        error = std::strerror(errno);
        ::close(fd);
        return -1;
    }
    pollfd p{fd, POLLOUT, 0};
    int result = 0;
    socklen_t length = sizeof result;
    if (::poll(&p, 1, static_cast<int>(kChallengeTimeoutSeconds * 1000)) != 1 ||
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &result, &length) != 0 || result != 0) {
        error = result != 0 ? std::strerror(result) : "timed out";
        ::close(fd);
        return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    const timeval limit{kChallengeTimeoutSeconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    return fd;
}

std::string openssl_error() {
    const unsigned long code = ERR_get_error();
    if (code == 0) return "the connection closed or timed out";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

// The checks of RFC 8737 section 3 on the certificate the device presented.
acme::ProbeOutcome check_certificate(const std::vector<uint8_t>& der,
                                     const acme::TlsAlpnProbe& probe, const std::string& where) {
    try {
        const Botan::X509_Certificate cert(der);
        const auto names = cert.subject_alt_name().contents();
        if (names.size() != 1 || names.begin()->first != "DNS" ||
            names.begin()->second != probe.host)
            return failure("incorrectResponse",
                           where +
                               " presented a certificate whose subjectAltName is not exactly "
                               "DNS:" +
                               probe.host);
        const auto raw = cert.v3_extensions().extensions_raw();
        const auto ext = raw.find(kAcmeIdentifier);
        if (ext == raw.end() || !ext->second.second)
            return failure("incorrectResponse",
                           where +
                               " presented a certificate without a critical acmeIdentifier "
                               "extension (RFC 8737 section 3)");
        std::vector<uint8_t> digest;
        Botan::BER_Decoder(ext->second.first)
            .decode(digest, Botan::ASN1_Tag::OCTET_STRING)
            .verify_end();
        if (digest != probe.expected_digest)
            return failure("incorrectResponse",
                           where + " presented an acmeIdentifier for another key authorization");
        return {};
    } catch (const std::exception& e) {
        return failure("incorrectResponse",
                       where + " presented a certificate that cannot be read: " + e.what());
    }
}

}  // namespace

acme::ProbeOutcome ChallengeFetcher::check_tls_alpn01(const acme::TlsAlpnProbe& probe) {
    const std::string where =
        probe.host + " at " + probe.address.to_string() + ":" + std::to_string(probe.port);
    std::string error;
    const FdCloser socket{connect_within(probe.address, probe.port, error)};
    if (socket.fd < 0)
        return failure("connection", "cannot connect to " + where + ": " + error +
                                         "; is the ACME client's tls-alpn-01 server listening?");
    const std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                                SSL_CTX_free);
    if (!ctx) return failure("serverInternal", "cannot make a TLS context");
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);  // RFC 8737 section 4
    // The certificate is self-signed by design; its content is what is checked.
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_alpn_protos(ctx.get(), kAlpn, sizeof kAlpn - 1);
    const std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
    if (!ssl) return failure("serverInternal", "cannot make a TLS session");
    SSL_set_fd(ssl.get(), socket.fd);
    SSL_set_tlsext_host_name(ssl.get(), probe.host.c_str());
    ERR_clear_error();
    if (SSL_connect(ssl.get()) != 1)
        return failure("connection",
                       "the TLS handshake with " + where + " failed: " + openssl_error());
    const unsigned char* protocol = nullptr;
    unsigned int protocol_length = 0;
    SSL_get0_alpn_selected(ssl.get(), &protocol, &protocol_length);
    if (std::string(reinterpret_cast<const char*>(protocol), protocol_length) != "acme-tls/1")
        return failure("incorrectResponse", where + " did not negotiate the acme-tls/1 protocol");
    X509* peer = SSL_get1_peer_certificate(ssl.get());
    if (!peer) return failure("incorrectResponse", where + " presented no certificate");
    unsigned char* der = nullptr;
    const int length = i2d_X509(peer, &der);
    X509_free(peer);
    std::vector<uint8_t> bytes;
    if (length > 0) bytes.assign(der, der + length);
    OPENSSL_free(der);
    return check_certificate(bytes, probe, where);
}

}  // namespace rca
