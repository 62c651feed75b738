#include "core/leaf_profile.hpp"

#include <botan/auto_rng.h>
#include <botan/x509_ext.h>

#include <catch2/catch.hpp>

#include "core/certificate_signer.hpp"
#include "core/crl_distribution_extension.hpp"
#include "core/csr_policy.hpp"
#include "core/issuer.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

TEST_CASE("a leaf is built by the CA, never copied from the CSR", "[leaf-profile]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, test::test_epoch());
    const Issuer issuer(ca.intermediate, ca.root.cert, policy);

    const auto key_type = GENERATE(as<std::string>{}, "p256", "ed25519", "rsa2048");
    CAPTURE(key_type);
    const auto key = test::make_key(key_type, rng);
    // A hostile CSR: asks to be a CA and for a bank's name.
    const auto csr = accept_csr(test::make_csr(*key, rng, true, {"www.bank.example"}));
    REQUIRE(csr);

    const auto leaf = issuer.issue_leaf({"camera",
                                         {*Ipv4::parse("192.168.1.20"), *Ipv4::parse("8.8.8.8")},
                                         csr.value().public_key_info,
                                         csr.value().rsa_key},
                                        random_serial(rng), test::test_epoch(), rng);

    CHECK_FALSE(leaf.is_CA_cert());
    CHECK(leaf.subject_alt_name().get_attribute("DNS") ==
          std::vector<std::string>{"camera.home.arpa", "camera.local"});
    // 8.8.8.8 is outside the LAN subnets, so it never reaches the SAN.
    CHECK(leaf.subject_alt_name().get_attribute("IP") == std::vector<std::string>{"192.168.1.20"});
    CHECK(leaf.subject_dn().get_first_attribute("CN") == "camera.home.arpa");
    CHECK(leaf.allowed_extended_usage("PKIX.ServerAuth"));
    CHECK(leaf.allowed_extended_usage("PKIX.ClientAuth"));
    CHECK(leaf.allowed_usage(Botan::DIGITAL_SIGNATURE));
    CHECK(leaf.allowed_usage(Botan::KEY_ENCIPHERMENT) == (key_type == "rsa2048"));
    CHECK_FALSE(leaf.allowed_usage(Botan::KEY_CERT_SIGN));
    CHECK(leaf.authority_key_id() == ca.intermediate.cert.subject_key_id());
    CHECK(leaf.subject_key_id() == key_identifier(csr.value().public_key_info));
    // The distribution point names the issuer, whose CRL lists this leaf after a rotation too.
    const std::string crl_url =
        "https://router.home.arpa:8443/crl/" + ca_key_id(ca.intermediate.cert);
    const CrlDistributionExtension crl_dp(crl_url);
    CHECK(leaf.v3_extensions().get_extension_bits(crl_dp.oid_of()) == crl_dp.der());
    // Botan decodes it back (and formats it its own way).
    CHECK_THAT(leaf.crl_distribution_point(), Catch::Contains(crl_url));
    CHECK(leaf.subject_public_key_info() == csr.value().public_key_info);
    CHECK(to_time_point(leaf.not_after()) - test::test_epoch() ==
          std::chrono::hours(24 * policy.leaf_days));
    CHECK(leaf.check_signature(
        *std::unique_ptr<Botan::Public_Key>(ca.intermediate.cert.subject_public_key())));
}

TEST_CASE("local names are left out when turned off", "[leaf-profile]") {
    auto policy = test::test_policy();
    policy.local_names = false;
    const auto names = leaf_names(policy, {"nas", {}, {}, false});
    CHECK(names.get_attribute("DNS") == std::vector<std::string>{"nas.home.arpa"});
}

TEST_CASE("a leaf never outlives its intermediate", "[leaf-profile]") {
    Botan::AutoSeeded_RNG rng;
    auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, test::test_epoch());
    policy.leaf_days = 397;
    const Issuer issuer(ca.intermediate, ca.root.cert, policy);
    const auto key = test::make_key("p256", rng);
    // 700 days in: the intermediate (730 days) has 30 left.
    const auto late = test::test_epoch() + std::chrono::hours(24 * 700);
    const auto leaf = issuer.issue_leaf({"late", {}, key->subject_public_key(), false},
                                        random_serial(rng), late, rng);
    CHECK(leaf.not_after().cmp(ca.intermediate.cert.not_after()) == 0);
}

}  // namespace
}  // namespace rca
