#include "core/name_constraints_extension.hpp"

#include <botan/auto_rng.h>
#include <botan/hex.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <catch2/catch.hpp>

#include <memory>

#include "core/certificate_signer.hpp"
#include "support/test_pki.hpp"

namespace rca {
namespace {

std::string hex(const std::vector<uint8_t>& v) { return Botan::hex_encode(v, false); }

TEST_CASE("NameConstraints DER follows RFC 5280 4.2.1.10", "[name-constraints]") {
    const NameSubtrees dns_only{{"home.arpa"}, {}, {}, {}, {}};
    const NameSubtrees ip_only{{}, {}, {}, {*Ipv4Subnet::parse("192.168.0.0/16")}, {}};
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

TEST_CASE("NameConstraints DER: rfc822Name, URI and IPv6 forms", "[name-constraints]") {
    const std::string home = "09686f6d652e61727061";  // IA5String length and "home.arpa"
    NameSubtrees email;
    email.email = {"home.arpa"};
    NameSubtrees uri;
    uri.uri = {"home.arpa"};
    NameSubtrees ipv6;
    ipv6.ipv6 = {all_ipv6()};
    // 81: rfc822Name [1]; 86: uniformResourceIdentifier [6]; 87 20: iPAddress, 16 + 16 octets.
    CHECK(hex(NameConstraintsExtension(email, {}).der()) == "300fa00d300b81" + home);
    CHECK(hex(NameConstraintsExtension(uri, {}).der()) == "300fa00d300b86" + home);
    CHECK(hex(NameConstraintsExtension({}, ipv6).der()) ==
          "3026a12430228720" + std::string(64, '0'));
    NameSubtrees ula;
    ula.ipv6 = {*Ipv6Subnet::parse("fd12:3456:789a::/48")};
    CHECK(hex(NameConstraintsExtension(ula, {}).der()) ==
          "3026a0243022"
          "8720"
          "fd123456789a00000000000000000000"
          "ffffffffffff00000000000000000000");
    // Every form in one permitted list comes in GeneralName tag order: [1], [2], [6], [7].
    NameSubtrees all = email;
    all.dns = {"home.arpa"};
    all.uri = {"home.arpa"};
    all.ipv4 = {*Ipv4Subnet::parse("192.168.0.0/16")};
    CHECK(hex(NameConstraintsExtension(all, {}).der()) ==
          "3035a033300b81" + home + "300b82" + home + "300b86" + home + "300a8708c0a80000ffff0000");
}

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr openssl_cert(const Botan::X509_Certificate& cert) {
    const auto der = cert.BER_encode();
    const unsigned char* p = der.data();
    return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
}

// The extension as `openssl x509 -text` prints it.
std::string openssl_text(const Botan::X509_Certificate& cert, int nid) {
    const auto x = openssl_cert(cert);
    const int at = X509_get_ext_by_NID(x.get(), nid, -1);
    REQUIRE(at >= 0);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    X509V3_EXT_print(bio.get(), X509_get_ext(x.get(), at), 0, 0);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
}

TEST_CASE("the root bounds every name form and every purpose, as OpenSSL reads it",
          "[name-constraints]") {
    Botan::AutoSeeded_RNG rng;
    auto policy = test::test_policy();
    const auto root = make_root(policy, rng, test::test_epoch()).cert;
    CHECK(openssl_text(root, NID_name_constraints) ==
          "Permitted:\n  email:home.arpa\n  email:.home.arpa\n  DNS:home.arpa\n  DNS:local\n"
          "  URI:home.arpa\n  URI:.home.arpa\n  IP:192.168.0.0/255.255.0.0\n"
          "  IP:10.0.0.0/255.0.0.0\nExcluded:\n  IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0");
    CHECK(openssl_text(root, NID_ext_key_usage) ==
          "TLS Web Server Authentication, TLS Web Client Authentication");
    const auto x = openssl_cert(root);
    CHECK(X509_EXTENSION_get_critical(
              X509_get_ext(x.get(), X509_get_ext_by_NID(x.get(), NID_name_constraints, -1))) == 1);

    SECTION("with a ULA prefix, that prefix is permitted and nothing is excluded") {
        policy.lan_subnets6 = {*Ipv6Subnet::parse("fd12:3456:789a::/48")};
        const auto with_ula = make_root(policy, rng, test::test_epoch()).cert;
        const auto text = openssl_text(with_ula, NID_name_constraints);
        CHECK_THAT(text,
                   Catch::EndsWith("\n  IP:FD12:3456:789A:0:0:0:0:0/FFFF:FFFF:FFFF:0:0:0:0:0"));
        CHECK_THAT(text, !Catch::Contains("Excluded"));
    }
}

// Why device-enrol checks chains with OpenSSL (denrol/issued_cert.cpp): Botan 2 cannot decode
// IPv6 subtrees, keeps the extension as an unknown critical one, and so refuses every chain.
TEST_CASE("Botan 2 keeps the constraints it cannot decode as an unknown critical extension",
          "[name-constraints]") {
    Botan::AutoSeeded_RNG rng;
    const auto root = make_root(test::test_policy(), rng, test::test_epoch()).cert;
    CHECK(root.name_constraints().permitted().empty());
    CHECK(root.v3_extensions().critical_extension_set(Botan::OID("2.5.29.30")));
    CHECK(root.is_CA_cert());
    CHECK(root.path_limit() == 1);
}

// What a compromised router could do: a leaf signed directly with the intermediate key,
// bypassing the CA's own policy. OpenSSL (as curl, Python and device-enrol use it) must refuse
// every one outside the home; tests/e2e/verifier_matrix_test.sh asks five more verifiers.
TEST_CASE("leaves outside the constraints or the purposes do not validate", "[name-constraints]") {
    Botan::AutoSeeded_RNG rng;
    const auto policy = test::test_policy();
    const auto ca = test::make_test_ca(policy, rng, test::test_epoch());
    const auto device_key = test::make_key("p256", rng);

    struct Case {
        const char* type;
        const char* name;
        const char* purpose;  ///< extendedKeyUsage of the leaf, and what it is verified for
        int error;            ///< X509_V_OK when it validates
    };
    const auto c = GENERATE(
        Case{"DNS", "camera.home.arpa", "PKIX.ServerAuth", X509_V_OK},
        Case{"DNS", "camera.local", "PKIX.ServerAuth", X509_V_OK},
        Case{"IP", "192.168.1.20", "PKIX.ServerAuth", X509_V_OK},
        Case{"RFC822", "family@home.arpa", "PKIX.ServerAuth", X509_V_OK},
        Case{"URI", "https://camera.home.arpa/", "PKIX.ServerAuth", X509_V_OK},
        Case{"DNS", "www.example.com", "PKIX.ServerAuth", X509_V_ERR_PERMITTED_VIOLATION},
        Case{"DNS", "home.arpa.example.com", "PKIX.ServerAuth", X509_V_ERR_PERMITTED_VIOLATION},
        Case{"IP", "8.8.8.8", "PKIX.ServerAuth", X509_V_ERR_PERMITTED_VIOLATION},
        Case{"IP", "172.16.0.1", "PKIX.ServerAuth", X509_V_ERR_PERMITTED_VIOLATION},
        Case{"RFC822", "ceo@bank.example", "PKIX.ServerAuth", X509_V_ERR_PERMITTED_VIOLATION},
        Case{"URI", "https://www.bank.example/", "PKIX.ServerAuth", X509_V_ERR_PERMITTED_VIOLATION},
        Case{"RFC822", "family@home.arpa", "PKIX.EmailProtection", X509_V_ERR_INVALID_PURPOSE});
    CAPTURE(c.type, c.name, c.purpose);

    Botan::AlternativeName san;
    san.add_attribute(c.type, c.name);
    CertificateSpec spec;
    spec.subject.add_attribute("X520.CommonName", "test");
    spec.public_key_info = device_key->subject_public_key();
    spec.serial = random_serial(rng);
    spec.not_before = test::test_epoch();
    spec.not_after = test::test_epoch() + std::chrono::hours(24);
    spec.extensions.add(new Botan::Cert_Extension::Subject_Alternative_Name(san));
    spec.extensions.add(
        new Botan::Cert_Extension::Extended_Key_Usage({Botan::OID::from_string(c.purpose)}));
    const auto leaf =
        sign_certificate(spec, ca.intermediate.cert.subject_dn(), *ca.intermediate.key, rng);

    const auto root = openssl_cert(ca.root.cert);
    const auto intermediate = openssl_cert(ca.intermediate.cert);
    const auto subject = openssl_cert(leaf);
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(),
                                                                  X509_STORE_free);
    X509_STORE_add_cert(store.get(), root.get());
    const auto free_stack = [](STACK_OF(X509) * s) { sk_X509_free(s); };  // sk_* are macros
    std::unique_ptr<STACK_OF(X509), decltype(free_stack)> untrusted(sk_X509_new_null(), free_stack);
    sk_X509_push(untrusted.get(), intermediate.get());
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                        X509_STORE_CTX_free);
    REQUIRE(X509_STORE_CTX_init(ctx.get(), store.get(), subject.get(), untrusted.get()) == 1);
    X509_STORE_CTX_set_time(ctx.get(), 0,
                            std::chrono::system_clock::to_time_t(test::test_epoch()) + 3600);
    const bool email = std::string(c.purpose) == "PKIX.EmailProtection";
    X509_STORE_CTX_set_purpose(ctx.get(),
                               email ? X509_PURPOSE_SMIME_SIGN : X509_PURPOSE_SSL_SERVER);
    const bool valid = X509_verify_cert(ctx.get()) == 1;
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    CAPTURE(X509_verify_cert_error_string(error));
    CHECK(valid == (c.error == X509_V_OK));
    CHECK(error == c.error);
}

}  // namespace
}  // namespace rca
