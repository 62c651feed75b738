#include "daemon/tls_identity.hpp"

#include <arpa/inet.h>
#include <botan/auto_rng.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "core/certificate_signer.hpp"
#include "core/issuer.hpp"
#include "daemon/ca_files.hpp"
#include "daemon/https_server.hpp"
#include "daemon/sni_identity.hpp"
#include "files/atomic_file.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

// Connects to 127.0.0.1:port with TLS (asking for server_name by SNI when not empty) and returns
// the serial (hex) of the certificate presented.
std::string presented_serial(int port, const std::string& server_name = "") {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string serial;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        SSL* ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        if (!server_name.empty()) SSL_set_tlsext_host_name(ssl, server_name.c_str());
        if (SSL_connect(ssl) == 1) {
            X509* cert = SSL_get1_peer_certificate(ssl);
            unsigned char* der = nullptr;
            const int len = i2d_X509(cert, &der);
            serial = serial_hex(Botan::X509_Certificate(der, static_cast<size_t>(len)));
            OPENSSL_free(der);
            X509_free(cert);
        }
        SSL_free(ssl);
    }
    ::close(fd);
    SSL_CTX_free(ctx);
    return serial;
}

TEST_CASE("a reloaded identity is presented from the next handshake on", "[tls]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, Clock::now());
    const Issuer issuer(ca.intermediate, ca.root.cert, policy);
    const auto dir =
        std::filesystem::temp_directory_path() / ("rca-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string chain = (dir / "chain.pem").string(), key = (dir / "key.pem").string();

    // Writes a fresh key and leaf to the files and returns the leaf's serial.
    auto write_identity = [&] {
        const auto k = test::make_key("p256", rng);
        const auto leaf = issuer.issue_leaf({"router", {}, k->subject_public_key(), false},
                                            random_serial(rng), Clock::now(), rng);
        write_private_key(key, *k);
        files::write_atomic(chain, issuer.chain_pem(leaf), 0644);
        return serial_hex(leaf);
    };

    const std::string first = write_identity();
    TlsIdentity identity(chain, key);
    HttpsServer server(identity, ConnectionLimits{}, "127.0.0.1", 0);
    server.start();
    const int port = server.port();

    CHECK(presented_serial(port) == first);
    const std::string second = write_identity();
    CHECK(presented_serial(port) == first);  // files alone change nothing...
    identity.reload();
    CHECK(presented_serial(port) == second);  // ...the reload does

    // A broken key file is refused and the previous identity stays in service.
    files::write_atomic(key, "not a key", 0600);
    CHECK_THROWS(identity.reload());
    CHECK(presented_serial(port) == second);

    server.stop();
    std::filesystem::remove_all(dir);
}

TEST_CASE("SNI picks the named identity; every other handshake gets the fallback", "[tls]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, Clock::now());
    const Issuer issuer(ca.intermediate, ca.root.cert, policy);
    const auto dir =
        std::filesystem::temp_directory_path() / ("rca-sni-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    // Writes a fresh key and leaf as NAME.pem / NAME.key.pem and returns its identity and serial.
    auto make_identity = [&](const std::string& name) {
        const auto k = test::make_key("p256", rng);
        const auto leaf = issuer.issue_leaf({name, {}, k->subject_public_key(), false},
                                            random_serial(rng), Clock::now(), rng);
        const std::string chain = (dir / (name + ".pem")).string();
        const std::string key = (dir / (name + ".key.pem")).string();
        write_private_key(key, *k);
        files::write_atomic(chain, issuer.chain_pem(leaf), 0644);
        return std::make_pair(std::make_shared<TlsIdentity>(chain, key), serial_hex(leaf));
    };
    const auto [local, local_serial] = make_identity("local");
    const auto [first, first_serial] = make_identity("public1");
    const auto [second, second_serial] = make_identity("public2");

    SniIdentity identities(*local);
    HttpsServer server(identities, ConnectionLimits{}, "127.0.0.1", 0);
    server.start();
    const int port = server.port();
    CHECK(presented_serial(port, "router.nifty.vendor.example") == local_serial);  // not set yet
    identities.set("router.nifty.vendor.example", first);
    CHECK(presented_serial(port, "router.nifty.vendor.example") == first_serial);
    CHECK(presented_serial(port, "ROUTER.Nifty.vendor.example") == first_serial);
    CHECK(presented_serial(port, "router.home.arpa") == local_serial);
    CHECK(presented_serial(port) == local_serial);  // no SNI at all (an IP address in the URL)
    identities.set("router.nifty.vendor.example", second);  // a renewal
    CHECK(presented_serial(port, "router.nifty.vendor.example") == second_serial);

    server.stop();
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rca
