#include "denrol/router_client.hpp"

#include <catch2/catch.hpp>

#include <botan/system_rng.h>

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

TEST_CASE("router client against a fake router", "[router_client]") {
    Botan::System_RNG rng;
    denrol_test::TestPki pki(rng);
    denrol_test::FakeRouter router(pki, rng);
    const auto where = endpoint_of(router);
    const auto key = denrol::make_key(denrol::KeyType::p256, rng);
    const std::string csr = denrol::make_csr_pem(*key, "device", rng);

    SECTION("the root is fetched on first contact without verification") {
        const auto root = denrol::fetch_root_unverified(where);
        REQUIRE(root.ok());
        CHECK(root.value() == pki.root_pem());
    }

    SECTION("submit, then poll with the bearer token") {
        router.script = {"pending", "pending", "issued"};
        denrol::RouterClient client(where, pki.root_pem());
        const auto sent = client.submit({csr, "cam", "192.168.1.20"});
        REQUIRE(sent.ok());
        CHECK(sent.value().status.status == "pending");
        CHECK(sent.value().status.token == denrol_test::FakeRouter::kToken);
        CHECK(router.last_name_hint == "cam");
        CHECK(router.last_ipv4 == "192.168.1.20");
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
        denrol::RouterClient client(where, pki.root_pem());
        const auto r = client.poll("req-1", "not-the-token");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::refused);
        CHECK(r.error().http_status == 401);
        CHECK_THAT(r.error().detail, Catch::Contains("wrong token for this enrolment"));
    }

    SECTION("an id that is not URL-safe is never put in a path") {
        denrol::RouterClient client(where, pki.root_pem());
        const auto r = client.poll("../../admin", denrol_test::FakeRouter::kToken);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::protocol);
    }

    SECTION("a router whose certificate does not chain to the pinned root is refused") {
        denrol_test::TestPki other(rng, "Someone Else's Root");
        denrol::RouterClient client(where, other.root_pem());
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
        denrol::RouterClient client(where, other.root_pem());
        const auto r = client.submit({csr, "", ""});
        ::unsetenv("SSL_CERT_FILE");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
    }

    SECTION("a router that is not there is unreachable") {
        denrol::Endpoint nowhere{"127.0.0.1", 1};
        const auto r = denrol::fetch_root_unverified(
            nowhere, {std::chrono::seconds(2), std::chrono::seconds(2)});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::unreachable);
    }

    SECTION("renewal without a usable identity fails locally") {
        denrol::RouterClient client(where, pki.root_pem());
        const auto r = client.renew({csr}, {"not a cert", "not a key"});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::local);
    }
}
