#include <catch2/catch.hpp>

#include <botan/data_src.h>
#include <botan/pkcs10.h>
#include <botan/pkix_types.h>
#include <botan/system_rng.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "denrol/csr_maker.hpp"
#include "denrol/key_maker.hpp"

TEST_CASE("each key type makes a CSR whose signature verifies and whose key matches", "[key_csr]") {
    Botan::System_RNG rng;
    struct Row {
        denrol::KeyType type;
        const char* name;
        const char* botan_algo;
        int openssl_id;
    };
    const auto row = GENERATE(values<Row>({
        {denrol::KeyType::p256, "p256", "ECDSA", EVP_PKEY_EC},
        {denrol::KeyType::ed25519, "ed25519", "Ed25519", EVP_PKEY_ED25519},
        {denrol::KeyType::rsa2048, "rsa2048", "RSA", EVP_PKEY_RSA},
    }));
    INFO(row.name);
    CHECK(denrol::parse_key_type(row.name) == row.type);
    CHECK(std::string(denrol::key_type_name(row.type)) == row.name);

    const auto key = denrol::make_key(row.type, rng);
    CHECK(key->algo_name() == row.botan_algo);

    const std::string pem = denrol::make_csr_pem(*key, "kitchen-camera", rng);
    Botan::DataSource_Memory src(pem);
    const Botan::PKCS10_Request csr(src);
    const auto csr_key = csr.subject_public_key();
    CHECK(csr.check_signature(*csr_key));
    CHECK(csr_key->subject_public_key() == key->subject_public_key());
    CHECK(csr.subject_dn().get_first_attribute("CN") == "kitchen-camera");
    // No extensions: the router builds them all and ignores names in the CSR.
    CHECK(csr.extensions().extensions().empty());

    SECTION("PKCS#8 PEM round trip through Botan and OpenSSL") {
        const std::string key_pem = denrol::private_key_pem(*key);
        CHECK(key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
        const auto loaded = denrol::load_private_key(key_pem);
        REQUIRE(loaded.ok());
        CHECK(loaded.value()->subject_public_key() == key->subject_public_key());
        // httplib hands the file to OpenSSL for mutual TLS and the demo server.
        BIO* bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
        EVP_PKEY* ossl = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        REQUIRE(ossl != nullptr);
        CHECK(EVP_PKEY_get_base_id(ossl) == row.openssl_id);
        EVP_PKEY_free(ossl);
    }
}

TEST_CASE("unknown key types and unreadable keys are refused", "[key_csr]") {
    CHECK_FALSE(denrol::parse_key_type("P256").has_value());
    CHECK_FALSE(denrol::parse_key_type("rsa4096").has_value());
    const auto r =
        denrol::load_private_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == denrol::Errc::local);
}
