#include "core/name_constraints_extension.hpp"

#include <botan/auto_rng.h>
#include <botan/certstor.h>
#include <botan/hex.h>
#include <botan/x509path.h>

#include <catch2/catch.hpp>

#include "core/certificate_signer.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

std::string hex(const std::vector<uint8_t>& v) { return Botan::hex_encode(v, false); }

TEST_CASE("NameConstraints DER follows RFC 5280 4.2.1.10", "[name-constraints]") {
    const NameSubtrees dns_only{{"home.arpa"}, {}};
    const NameSubtrees ip_only{{}, {*Ipv4Subnet::parse("192.168.0.0/16")}};
    // 30: NameConstraints SEQUENCE; a0/a1: [0] permitted / [1] excluded GeneralSubtrees;
    // 30: GeneralSubtree; 82: dNSName [2] IA5String; 87: iPAddress [7], address then mask.
    const std::string permitted_dns = "a00d300b8209686f6d652e61727061";
    const std::string permitted_ip = "a00c300a8708c0a80000ffff0000";
    const std::string excluded_dns = "a10d300b8209686f6d652e61727061";
    const std::string excluded_ip = "a10c300a8708c0a80000ffff0000";

    CHECK(hex(NameConstraintsExtension(dns_only, {}).der()) == "300f" + permitted_dns);
    CHECK(hex(NameConstraintsExtension(ip_only, {}).der()) == "300e" + permitted_ip);
    CHECK(hex(NameConstraintsExtension({}, dns_only).der()) == "300f" + excluded_dns);
    CHECK(hex(NameConstraintsExtension({}, ip_only).der()) == "300e" + excluded_ip);
    CHECK(hex(NameConstraintsExtension(dns_only, ip_only).der()) ==
          "301d" + permitted_dns + excluded_ip);
}

TEST_CASE("Botan decodes the root's constraints as written", "[name-constraints]") {
    Botan::AutoSeeded_RNG rng;
    const auto root = make_root(test::test_policy(), rng, test::test_epoch()).cert;
    const auto& nc = root.name_constraints();
    std::vector<std::string> permitted;
    for (const auto& subtree : nc.permitted())
        permitted.push_back(subtree.base().type() + ":" + subtree.base().name());
    CHECK(nc.excluded().empty());
    CHECK(permitted == std::vector<std::string>{"DNS:home.arpa", "DNS:local",
                                                "IP:192.168.0.0/255.255.0.0",
                                                "IP:10.0.0.0/255.0.0.0"});
    CHECK(root.is_critical("X509v3.NameConstraints"));
    CHECK(root.is_CA_cert());
    CHECK(root.path_limit() == 1);
}

// Botan's path validation applies the trust anchor's constraints, as OpenSSL, Chrome and NSS do.
// The leaf is signed directly with the intermediate key, bypassing the CA's own policy: this is
// what a compromised router could do, and the root must still not vouch for it.
TEST_CASE("leaves outside the constraints do not validate", "[name-constraints]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, test::test_epoch());
    const auto device_key = test::make_key("p256", rng);

    struct Case {
        const char* type;
        const char* name;
        bool valid;
    };
    const auto c =
        GENERATE(Case{"DNS", "camera.home.arpa", true}, Case{"DNS", "camera.local", true},
                 Case{"IP", "192.168.1.20", true}, Case{"DNS", "www.example.com", false},
                 Case{"DNS", "home.arpa.example.com", false}, Case{"IP", "8.8.8.8", false},
                 Case{"IP", "172.16.0.1", false});
    CAPTURE(c.type, c.name);

    Botan::AlternativeName san;
    san.add_attribute(c.type, c.name);
    CertificateSpec spec;
    spec.subject.add_attribute("X520.CommonName", "test");
    spec.public_key_info = device_key->subject_public_key();
    spec.serial = random_serial(rng);
    spec.not_before = test::test_epoch();
    spec.not_after = test::test_epoch() + std::chrono::hours(24);
    spec.extensions.add(new Botan::Cert_Extension::Subject_Alternative_Name(san));
    const auto leaf =
        sign_certificate(spec, ca.intermediate.cert.subject_dn(), *ca.intermediate.key, rng);

    Botan::Certificate_Store_In_Memory anchors(ca.root.cert);
    const Botan::Path_Validation_Restrictions restrictions(false, 110);
    const auto result = Botan::x509_path_validate({leaf, ca.intermediate.cert}, restrictions,
                                                  anchors, "", Botan::Usage_Type::UNSPECIFIED,
                                                  test::test_epoch() + std::chrono::hours(1));
    CAPTURE(result.result_string());
    std::string per_cert;
    for (const auto& statuses : result.all_statuses()) {
        per_cert += "[";
        for (const auto code : statuses)
            per_cert += std::string(Botan::Path_Validation_Result::status_string(code)) + ";";
        per_cert += "]";
    }
    CAPTURE(per_cert);
    CHECK(result.successful_validation() == c.valid);
    if (!c.valid) CHECK(result.result() == Botan::Certificate_Status_Code::NAME_CONSTRAINT_ERROR);
}

}  // namespace
}  // namespace rca
