#include "denrol/revocation_list.hpp"

#include <catch2/catch.hpp>

#include <botan/system_rng.h>
#include <botan/x509_crl.h>

#include "denrol/key_maker.hpp"
#include "support/test_pki.hpp"

namespace {

using denrol::RevocationCheck;
using std::chrono::hours;

std::string pem_of_der(const std::string& der) {
    return Botan::X509_CRL(std::vector<uint8_t>(der.begin(), der.end())).PEM_encode();
}

}  // namespace

TEST_CASE("a CRL is accepted only when signed under the root and current", "[revocation]") {
    Botan::System_RNG rng;
    denrol_test::TestPki pki(rng);
    denrol_test::TestPki other(rng, "Someone Else's Root");
    const auto key = denrol::make_key(denrol::KeyType::p256, rng);
    const auto now = std::chrono::system_clock::now();
    const auto leaf = pki.issue_leaf(*key, "cam.home.arpa", "", now - hours(1), now + hours(24));
    const std::string issuers = pki.chain_pem(leaf);  // carries the intermediate
    const auto week = std::chrono::hours(24 * 7);

    SECTION("current, signed by the intermediate: accepted, DER or PEM") {
        const std::string der = pki.crl_der({leaf}, now - hours(1), week);
        const auto checked = denrol::check_crl(der, issuers, pki.root_pem(), now);
        REQUIRE(checked.ok());
        CHECK(checked.value().revoked == 1);
        CHECK(checked.value().next_update > now);
        CHECK(denrol::check_crl(pem_of_der(der), issuers, pki.root_pem(), now).ok());
    }
    struct Row {
        const char* what;
        std::string crl;
        std::string issuers;
        const char* says;
    };
    const std::vector<Row> refused{
        {"stale", pki.crl_der({}, now - 2 * week, week), issuers, "stale"},
        {"from the future", pki.crl_der({}, now + hours(2), week), issuers,
         "after this device's time"},
        {"forged", pki.forged_crl_der(now - hours(1), week), issuers, "not signed by a CA"},
        {"issuer unknown", pki.crl_der({}, now - hours(1), week), "", "not signed by a CA"},
        {"not a CRL", "garbage", issuers, "not a DER or PEM"},
    };
    for (const auto& row : refused) {
        INFO(row.what);
        const auto r = denrol::check_crl(row.crl, row.issuers, pki.root_pem(), now);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().detail, Catch::Contains(row.says));
    }
    SECTION("under another root: refused") {
        const auto r = denrol::check_crl(pki.crl_der({}, now - hours(1), week), issuers,
                                         other.root_pem(), now);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
    }
}

TEST_CASE("what the cached CRLs say about a certificate", "[revocation]") {
    Botan::System_RNG rng;
    denrol_test::TestPki pki(rng);
    const auto key = denrol::make_key(denrol::KeyType::p256, rng);
    const auto now = std::chrono::system_clock::now();
    const auto cam = pki.issue_leaf(*key, "cam.home.arpa", "", now - hours(1), now + hours(24));
    const auto nas = pki.issue_leaf(*key, "nas.home.arpa", "", now - hours(1), now + hours(24));
    const auto week = std::chrono::hours(24 * 7);
    const std::string crl = pem_of_der(pki.crl_der({cam}, now - hours(1), week));

    CHECK(denrol::check_certificate(cam.PEM_encode(), crl, now).status ==
          RevocationCheck::Status::revoked);
    CHECK(denrol::check_certificate(nas.PEM_encode(), crl, now).status ==
          RevocationCheck::Status::good);
    // A stale CRL proves nothing about a good certificate, but a revocation is final.
    CHECK(denrol::check_certificate(nas.PEM_encode(), crl, now + 2 * week).status ==
          RevocationCheck::Status::unknown);
    CHECK(denrol::check_certificate(cam.PEM_encode(), crl, now + 2 * week).status ==
          RevocationCheck::Status::revoked);
    CHECK(denrol::check_certificate(nas.PEM_encode(), "", now).status ==
          RevocationCheck::Status::unknown);
}
