#include "core/csr_policy.hpp"

#include <botan/auto_rng.h>
#include <botan/base64.h>
#include <botan/pem.h>

#include <catch2/catch.hpp>

#include "support/test_pki.hpp"

namespace rca {
namespace {

TEST_CASE("CSR policy table", "[csr-policy]") {
    Botan::AutoSeeded_RNG rng;
    struct Case {
        const char* key;
        bool accepted;
        const char* key_type_or_message;
    };
    const auto c = GENERATE(Case{"p256", true, "p256"}, Case{"p384", true, "p384"},
                            Case{"ed25519", true, "ed25519"}, Case{"rsa2048", true, "rsa2048"},
                            Case{"rsa1024", false, "1024 bits; at least 2048"},
                            Case{"p521", false, "unsupported curve"},
                            Case{"brainpool256r1", false, "unsupported curve"});
    CAPTURE(c.key);
    const auto key = test::make_key(c.key, rng);
    const auto result = accept_csr(test::make_csr(*key, rng));
    REQUIRE(result.ok() == c.accepted);
    if (c.accepted) {
        CHECK(result.value().key_type == c.key_type_or_message);
        CHECK(result.value().public_key_info == key->subject_public_key());
        CHECK(result.value().key_id.size() == 64);
    } else {
        CHECK(result.error().code == Errc::bad_csr);
        CHECK_THAT(result.error().detail, Catch::Contains(c.key_type_or_message));
    }
}

TEST_CASE("malformed CSRs are refused with a message", "[csr-policy]") {
    const auto text = GENERATE(as<std::string>{}, "", "garbage",
                               "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE "
                               "REQUEST-----\n",
                               std::string(5000, 'A'));
    const auto result = accept_csr(text);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::malformed);
    CHECK_THAT(result.error().detail, Catch::Contains("not a PEM or DER PKCS#10"));
}

TEST_CASE("a CSR whose signature does not verify is refused", "[csr-policy]") {
    Botan::AutoSeeded_RNG rng;
    const auto key = test::make_key("p256", rng);
    const std::string pem = test::make_csr(*key, rng);
    std::string label;
    auto der = Botan::PEM_Code::decode(pem, label);
    // The signature BIT STRING is the last field: flip a bit inside it.
    der[der.size() - 5] ^= 0x01;
    const auto result = accept_csr(Botan::PEM_Code::encode(der, label));
    REQUIRE_FALSE(result);
    CHECK(result.error().code == Errc::bad_csr);
    CHECK_THAT(result.error().detail, Catch::Contains("signature does not verify"));
}

TEST_CASE("the CSR's names and extensions do not matter to acceptance", "[csr-policy]") {
    Botan::AutoSeeded_RNG rng;
    const auto key = test::make_key("p256", rng);
    CHECK(accept_csr(test::make_csr(*key, rng, true, {"www.bank.example", "*.example.com"})));
}

}  // namespace
}  // namespace rca
