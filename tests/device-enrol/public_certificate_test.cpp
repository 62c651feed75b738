// The public certificate's pure pieces: the renewal draw, the checks on HQ's chain, the CSR's one
// name, and serve-demo's choice by SNI (stable_renewal_moment: renewal_schedule_test). About a
// second.
#include "denrol/public_certificate.hpp"

#include <catch2/catch.hpp>

#include <botan/data_src.h>
#include <botan/pkcs10.h>
#include <botan/pkix_types.h>
#include <botan/system_rng.h>

#include <set>

#include "denrol/csr_maker.hpp"
#include "denrol/key_maker.hpp"
#include "denrol/renewal_schedule.hpp"
#include "denrol/sni_choice.hpp"
#include "support/test_pki.hpp"

namespace {

constexpr const char* kName = "cam.nifty-babbage.vendor-cert.example";
constexpr auto k90Days = std::chrono::hours(24 * 90);

}  // namespace

TEST_CASE("renewal_draw: per certificate, spread over the window, stable on re-reading",
          "[public_certificate]") {
    Botan::System_RNG rng;
    denrol_test::TestPki pki(rng, "Test Public Root");
    std::set<std::uint64_t> draws;
    int first_half = 0;
    constexpr int kCerts = 40;
    for (int i = 0; i < kCerts; ++i) {
        const auto key = denrol::make_key(denrol::KeyType::p256, rng);
        const auto now = std::chrono::system_clock::now();
        const auto leaf = pki.issue_leaf(*key, kName, "", now, now + k90Days);
        const auto draw = denrol::renewal_draw(leaf);
        CHECK(denrol::renewal_draw(leaf) == draw);
        draws.insert(draw);
        if (draw < (std::uint64_t{1} << 63)) ++first_half;
    }
    // Forty certificates issued in the same second get forty moments.
    CHECK(draws.size() == kCerts);
    // Both halves of the window get some (fails with probability about 2^-36 for a fair draw).
    CHECK(first_half > 2);
    CHECK(first_half < kCerts - 2);
}

TEST_CASE("read_installed_public: the name, facts and the same moment after a restart",
          "[public_certificate]") {
    Botan::System_RNG rng;
    denrol_test::TestPki pki(rng, "Test Public Root");
    denrol_test::TempDir tmp;
    const denrol::EnrolmentDir dir(tmp.path());
    REQUIRE(denrol::read_installed_public(dir).ok());
    CHECK_FALSE(denrol::read_installed_public(dir).value().has_value());

    const auto key = denrol::make_key(denrol::KeyType::p256, rng);
    const auto start =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const denrol::Validity validity{start, start + k90Days};
    const auto leaf = pki.issue_leaf(*key, kName, "", validity.not_before, validity.not_after);
    REQUIRE(
        dir.install_public({denrol::private_key_pem(*key), leaf.PEM_encode(), pki.chain_pem(leaf)})
            .ok());
    const auto first = denrol::read_installed_public(dir);
    REQUIRE(first.ok());
    REQUIRE(first.value().has_value());
    CHECK(first.value()->name == kName);
    CHECK(first.value()->facts.validity.not_after == validity.not_after);
    CHECK(first.value()->renew_at ==
          denrol::stable_renewal_moment(validity, denrol::renewal_draw(leaf)));
    CHECK(first.value()->renew_at >= denrol::renewal_window_start(validity));
    CHECK(first.value()->renew_at < denrol::renewal_window_end(validity));
    CHECK(denrol::read_installed_public(dir).value()->renew_at == first.value()->renew_at);

    denrol_test::spit(dir.file(denrol::EnrolmentDir::kPublicCert), "not a certificate");
    const auto broken = denrol::read_installed_public(dir);
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().code == denrol::Errc::local);
}

TEST_CASE("check_public_issue: the leaf's key and name, and the chain's order",
          "[public_certificate]") {
    Botan::System_RNG rng;
    denrol_test::TestPki pki(rng, "Test Public Root");
    const auto key = denrol::make_key(denrol::KeyType::p256, rng);
    const auto other_key = denrol::make_key(denrol::KeyType::p256, rng);
    const auto now = std::chrono::system_clock::now();
    const auto leaf = pki.issue_leaf(*key, kName, "", now, now + k90Days);
    const std::string chain = pki.chain_pem(leaf);

    const auto good = denrol::check_public_issue(chain, *key, kName);
    REQUIRE(good.ok());
    CHECK(good.value().chain_pem == chain);
    CHECK(good.value().cert_pem == leaf.PEM_encode());

    struct Row {
        const char* what;
        std::string chain;
        const Botan::Private_Key* key;
        std::string name;
        const char* says;
    };
    const std::string intermediate = chain.substr(leaf.PEM_encode().size());
    const std::string stranger = denrol_test::TestPki(rng, "Other").root_pem();
    const std::vector<Row> rows = {
        {"another key's certificate", chain, other_key.get(), kName, "not for this device's key"},
        {"another name", chain, key.get(), "dog.nifty-babbage.vendor-cert.example",
         "does not name dog.nifty-babbage"},
        {"intermediate first", intermediate + leaf.PEM_encode(), key.get(), kName,
         "not for this device's key"},
        {"a chain whose second certificate did not sign the first", chain + stranger, key.get(),
         kName, "out of order"},
        {"no certificate at all", "garbage", key.get(), kName, "holds no PEM certificate"},
    };
    for (const auto& row : rows) {
        INFO(row.what);
        const auto bad = denrol::check_public_issue(row.chain, *row.key, row.name);
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().code == denrol::Errc::protocol);
        CHECK_THAT(bad.error().detail, Catch::Contains(row.says));
    }
}

TEST_CASE("make_csr_pem with a SAN: exactly that dNSName, the same CN", "[public_certificate]") {
    Botan::System_RNG rng;
    const auto key = denrol::make_key(denrol::KeyType::p256, rng);
    Botan::DataSource_Memory src(denrol::make_csr_pem(*key, kName, rng, kName));
    const Botan::PKCS10_Request csr(src);
    CHECK(csr.check_signature(*csr.subject_public_key()));
    CHECK(csr.subject_dn().get_first_attribute("CN") == kName);
    const auto& alt = csr.subject_alt_name();
    CHECK(alt.get_attribute("DNS") == std::vector<std::string>{kName});
    CHECK(alt.get_attribute("IP").empty());
    CHECK(alt.get_attribute("RFC822").empty());
}

TEST_CASE("public_key_type: the device's type, but P-256 for Ed25519", "[public_certificate]") {
    using denrol::KeyType;
    CHECK(denrol::public_key_type(KeyType::p256) == KeyType::p256);
    CHECK(denrol::public_key_type(KeyType::rsa2048) == KeyType::rsa2048);
    CHECK(denrol::public_key_type(KeyType::ed25519) == KeyType::p256);
}

TEST_CASE("certificate_for_sni: the public one only for exactly the public name",
          "[public_certificate]") {
    using denrol::ServedCertificate;
    struct Row {
        const char* sni;
        const char* public_name;
        ServedCertificate served;
    };
    const auto row = GENERATE(values<Row>({
        {kName, kName, ServedCertificate::public_alias},
        {"CAM.Nifty-Babbage.Vendor-Cert.Example", kName, ServedCertificate::public_alias},
        {"cam.home.arpa", kName, ServedCertificate::local},
        {"", kName, ServedCertificate::local},
        {"192.168.1.20", kName, ServedCertificate::local},
        {"x.cam.nifty-babbage.vendor-cert.example", kName, ServedCertificate::local},
        {"cam.nifty-babbage.vendor-cert.exampl", kName, ServedCertificate::local},
        {"", "", ServedCertificate::local},
        {"cam.home.arpa", "", ServedCertificate::local},
    }));
    INFO(row.sni << " / " << row.public_name);
    CHECK(denrol::certificate_for_sni(row.sni, row.public_name) == row.served);
}
