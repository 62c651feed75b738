#include "denrol/router_client.hpp"

#include <catch2/catch.hpp>

#include <botan/system_rng.h>
#include <botan/x509_crl.h>

#include <filesystem>

#include "denrol/csr_maker.hpp"
#include "denrol/key_maker.hpp"
#include "support/fake_router.hpp"

namespace {

denrol::Endpoint endpoint_of(const denrol_test::FakeRouter& router) {
    return denrol::parse_router_url(router.url()).value();
}

}  // namespace

TEST_CASE("router URLs and listen addresses", "[router_client]") {
    struct Row {
        std::string url;
        bool ok;
        std::string host;
        int port;
    };
    const auto row = GENERATE(values<Row>({
        {"https://192.168.1.1", true, "192.168.1.1", 443},
        {"https://router.home.arpa:8443/", true, "router.home.arpa", 8443},
        {"http://192.168.1.1", false, "", 0},
        {"https://192.168.1.1:0", false, "", 0},
        {"https://192.168.1.1:99999", false, "", 0},
        {"https://192.168.1.1/api", false, "", 0},
        {"https://", false, "", 0},
    }));
    INFO(row.url);
    const auto r = denrol::parse_router_url(row.url);
    REQUIRE(r.ok() == row.ok);
    if (row.ok) {
        CHECK(r.value().host == row.host);
        CHECK(r.value().port == row.port);
    } else {
        CHECK(r.error().code == denrol::Errc::usage);
    }
    CHECK(denrol::parse_host_port("0.0.0.0:8443").value().port == 8443);
    CHECK_FALSE(denrol::parse_host_port("8443").ok());
}

// A fake router, a device directory for the CRL cache, and a CSR to send.
struct ClientWorld {
    Botan::System_RNG rng;
    denrol_test::TestPki pki{rng};
    denrol_test::FakeRouter router{pki, rng};
    const denrol::Endpoint where = endpoint_of(router);
    denrol_test::TempDir dir;
    const denrol::EnrolmentDir crl_dir{dir.file("device")};
    const std::unique_ptr<Botan::Private_Key> key = denrol::make_key(denrol::KeyType::p256, rng);
    const std::string csr = denrol::make_csr_pem(*key, "device", rng);
};

TEST_CASE_METHOD(ClientWorld, "router client against a fake router", "[router_client]") {
    SECTION("the root is fetched on first contact without verification") {
        const auto root = denrol::fetch_root_unverified(where);
        REQUIRE(root.ok());
        CHECK(root.value() == pki.root_pem());
    }

    SECTION("submit, then poll with the bearer token") {
        router.script = {"pending", "pending", "issued"};
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        const auto sent = client.submit({csr, "cam", "127.0.0.1"});
        REQUIRE(sent.ok());
        CHECK(sent.value().status.status == "pending");
        CHECK(sent.value().status.token == denrol_test::FakeRouter::kToken);
        CHECK(router.last_name_hint == "cam");
        CHECK(router.last_ipv4 == "127.0.0.1");
        const auto first = client.poll(sent.value().status.id, sent.value().status.token);
        REQUIRE(first.ok());
        CHECK(first.value().status.status == "pending");
        CHECK(first.value().retry_after == std::chrono::seconds(2));
        const auto second = client.poll(sent.value().status.id, sent.value().status.token);
        REQUIRE(second.ok());
        CHECK(second.value().status.status == "issued");
        CHECK_FALSE(second.value().status.certificate.empty());
    }

    SECTION("a problem document's detail reaches the user") {
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        const auto r = client.poll("req-1", "not-the-token");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::refused);
        CHECK(r.error().http_status == 401);
        CHECK_THAT(r.error().detail, Catch::Contains("wrong token for this enrolment"));
    }

    SECTION("an id that is not URL-safe is never put in a path") {
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        const auto r = client.poll("../../admin", denrol_test::FakeRouter::kToken);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::protocol);
    }

    SECTION("a router whose certificate does not chain to the pinned root is refused") {
        denrol_test::TestPki other(rng, "Someone Else's Root");
        denrol::RouterClient client(where, other.root_pem(), crl_dir);
        const auto r = client.submit({csr, "", ""});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK(router.submissions == 0);
    }

    SECTION("the system CA store is never trusted in place of the pin") {
        // httplib would add SSL_CERT_FILE's CAs if the pin were set as a store, not a file.
        denrol_test::TempDir tmp;
        denrol_test::spit(tmp.file("system.pem"), pki.root_pem());
        ::setenv("SSL_CERT_FILE", tmp.file("system.pem").c_str(), 1);
        denrol_test::TestPki other(rng, "Someone Else's Root");
        denrol::RouterClient client(where, other.root_pem(), crl_dir);
        const auto r = client.submit({csr, "", ""});
        ::unsetenv("SSL_CERT_FILE");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
    }

    SECTION("a router that is not there is unreachable") {
        denrol::Endpoint nowhere{"127.0.0.1", 1};
        const auto r = denrol::fetch_root_unverified(
            nowhere, {std::chrono::seconds(2), std::chrono::seconds(2), ""});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::unreachable);
    }

    SECTION("renewal without a usable identity fails locally") {
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        const auto r = client.renew({csr}, {"not a cert", "not a key"});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::local);
    }
}

TEST_CASE_METHOD(ClientWorld, "the router's certificate is checked against its CRL",
                 "[router_client][crl]") {
    const std::string cache = crl_dir.file(denrol::EnrolmentDir::kCrl);
    const auto now = std::chrono::system_clock::now();
    const auto week = std::chrono::hours(24 * 7);
    const auto crl_pem = [](const std::string& der) {
        return Botan::X509_CRL(std::vector<uint8_t>(der.begin(), der.end())).PEM_encode();
    };

    SECTION("first contact fetches the CRL once, caches it, and later calls use the cache") {
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        REQUIRE(client.submit({csr, "", ""}).ok());
        REQUIRE(client.poll("req-1", denrol_test::FakeRouter::kToken).ok());
        CHECK(router.crl_fetches == 1);
        CHECK(router.submissions == 1);
        CHECK(denrol_test::slurp(cache) == crl_pem(router.crl_der));
    }

    SECTION("a cached CRL past its nextUpdate is fetched again") {
        std::filesystem::create_directories(crl_dir.path());
        denrol_test::spit(cache, crl_pem(pki.crl_der({}, now - 2 * week, week)));
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        REQUIRE(client.submit({csr, "", ""}).ok());
        CHECK(router.crl_fetches == 1);
        CHECK(denrol_test::slurp(cache) == crl_pem(router.crl_der));
    }

    SECTION("a stale CRL that cannot be refreshed stops the call, saying why") {
        std::filesystem::create_directories(crl_dir.path());
        const std::string stale = crl_pem(pki.crl_der({}, now - 2 * week, week));
        denrol_test::spit(cache, stale);
        router.crl_http = 503;
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        const auto r = client.submit({csr, "", ""});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::unreachable);
        CHECK_THAT(r.error().detail, Catch::Contains("cannot check whether the router's HTTPS "
                                                     "certificate") &&
                                         Catch::Contains("HTTP 503"));
        CHECK(router.submissions == 0);
        CHECK(denrol_test::slurp(cache) == stale);
    }

    SECTION("a router whose own certificate is revoked is refused") {
        router.crl_der =
            pki.crl_der({router.server_certificate()}, now - std::chrono::hours(1), week);
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        const auto r = client.submit({csr, "", ""});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK_THAT(r.error().detail, Catch::Contains("that the home CA has revoked"));
        CHECK(router.submissions == 0);
    }

    SECTION("a CRL not signed under the pinned root is neither trusted nor cached") {
        router.crl_der = pki.forged_crl_der(now - std::chrono::hours(1), week);
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        const auto r = client.submit({csr, "", ""});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK_THAT(r.error().detail, Catch::Contains("not signed by a CA of the pinned root"));
        CHECK_FALSE(crl_dir.has(denrol::EnrolmentDir::kCrl));
        CHECK(router.submissions == 0);
    }

    SECTION("a router serving a stale CRL is refused with that reason") {
        router.crl_der = pki.crl_der({}, now - 2 * week, week);
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        const auto r = client.submit({csr, "", ""});
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().detail, Catch::Contains("the router's CRL is stale"));
    }

    SECTION("an explicit refresh replaces the cached CRL with a newer one, never an older one") {
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        router.crl_der = pki.crl_der({}, now - std::chrono::hours(2), week);
        REQUIRE(client.refresh_crl("").ok());
        router.crl_der = pki.crl_der({}, now - std::chrono::hours(1), week);
        const auto newer = client.refresh_crl("");
        REQUIRE(newer.ok());
        CHECK(denrol_test::slurp(cache) == crl_pem(router.crl_der));
        router.crl_der = pki.crl_der({}, now - std::chrono::hours(3), week);
        const auto older = client.refresh_crl("");
        REQUIRE_FALSE(older.ok());
        CHECK_THAT(older.error().detail, Catch::Contains("older than the cached one"));
        CHECK(denrol_test::slurp(cache) == newer.value().pem);
    }

    SECTION("a distribution point that does not answer falls back to the router's /crl") {
        denrol::RouterClient client(where, pki.root_pem(), crl_dir);
        const auto r = client.refresh_crl("https://127.0.0.1:1/crl");
        REQUIRE(r.ok());
        CHECK(router.crl_fetches == 1);
    }
}
