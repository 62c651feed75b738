#include "jose/jws.hpp"

#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/rsa.h>

#include <catch2/catch.hpp>

#include "rfc_vectors.hpp"

namespace rca::jose {
namespace {

using nlohmann::json;
using namespace test;

constexpr size_t kMaxBody = 64 * 1024;

Jwk must_parse_jwk(const json& object) {
    auto jwk = parse_jwk(object);
    INFO((jwk.ok() ? "" : jwk.error().detail));
    REQUIRE(jwk.ok());
    return std::move(jwk).value();
}

Jws must_parse_jws(const std::string& body) {
    auto jws = parse_jws(body, kMaxBody);
    INFO((jws.ok() ? "" : jws.error().detail));
    REQUIRE(jws.ok());
    return std::move(jws).value();
}

TEST_CASE("RFC 7515 A.3: the ES256 example verifies", "[jws][rfc]") {
    const Jwk key = must_parse_jwk(rfc7515_a3_public_jwk());
    const Jws jws =
        must_parse_jws(flattened(kRfc7515A3Protected, kRfc7515Payload, kRfc7515A3Signature));
    CHECK(jws.alg == Alg::es256);
    CHECK(jws.header == json{{"alg", "ES256"}});
    CHECK(std::string(jws.payload.begin(), jws.payload.end()) ==
          "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");
    CHECK(verify(jws, key).ok());
}

TEST_CASE("RFC 7515 A.2: the RS256 example verifies", "[jws][rfc]") {
    const Jwk key = must_parse_jwk({{"kty", "RSA"}, {"n", kRfc7515A2N}, {"e", "AQAB"}});
    const Jws jws =
        must_parse_jws(flattened(kRfc7515A2Protected, kRfc7515Payload, kRfc7515A2Signature));
    CHECK(jws.alg == Alg::rs256);
    CHECK(verify(jws, key).ok());
}

TEST_CASE("RFC 8037 A.4/A.5: the Ed25519 example verifies", "[jws][rfc]") {
    const Jwk key = must_parse_jwk(rfc8037_public_jwk());
    const Jws jws =
        must_parse_jws(flattened(kRfc8037Protected, kRfc8037Payload, kRfc8037Signature));
    CHECK(jws.alg == Alg::eddsa);
    CHECK(std::string(jws.payload.begin(), jws.payload.end()) == "Example of Ed25519 signing");
    CHECK(jws.signing_input() == std::string(kRfc8037Protected) + "." + kRfc8037Payload);
    CHECK(verify(jws, key).ok());
}

TEST_CASE("the RFC examples fail once their payload is changed", "[jws][rfc]") {
    // The positive checks above only mean something if the same path can say no.
    const std::string other_payload = base64url_encode("Example of Ed25519 signinG");
    const struct {
        json jwk;
        std::string body;
    } vectors[] = {
        {rfc7515_a3_public_jwk(),
         flattened(kRfc7515A3Protected, other_payload, kRfc7515A3Signature)},
        {json{{"kty", "RSA"}, {"n", kRfc7515A2N}, {"e", "AQAB"}},
         flattened(kRfc7515A2Protected, other_payload, kRfc7515A2Signature)},
        {rfc8037_public_jwk(), flattened(kRfc8037Protected, other_payload, kRfc8037Signature)},
    };
    for (const auto& v : vectors) {
        const auto result = verify(must_parse_jws(v.body), must_parse_jwk(v.jwk));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code == JoseErrc::bad_signature);
    }
}

struct KeyAndAlg {
    const char* name;
    std::shared_ptr<Botan::Private_Key> key;
    Alg alg;
};

/// One fresh key of each supported type, made once: RSA generation is slow.
const std::vector<KeyAndAlg>& generated_keys() {
    static const std::vector<KeyAndAlg> keys = [] {
        Botan::AutoSeeded_RNG rng;
        return std::vector<KeyAndAlg>{
            {"P-256", std::make_shared<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1")),
             Alg::es256},
            {"P-384", std::make_shared<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp384r1")),
             Alg::es384},
            {"RSA 2048", std::make_shared<Botan::RSA_PrivateKey>(rng, 2048), Alg::rs256},
            {"Ed25519", std::make_shared<Botan::Ed25519_PrivateKey>(rng), Alg::eddsa},
        };
    }();
    return keys;
}

TEST_CASE("sign_jws then parse_jws and verify round-trips every key type", "[jws]") {
    Botan::AutoSeeded_RNG rng;
    for (const auto& k : generated_keys()) {
        CAPTURE(k.name);
        const json jwk_object = jwk_of(*k.key);
        const std::string payload = R"({"termsOfServiceAgreed":true})";
        const std::string body = sign_jws({{"nonce", "bm9uY2U"},
                                           {"url", "https://ca.home.arpa/acme/new-account"},
                                           {"jwk", jwk_object}},
                                          payload, *k.key, k.alg, rng);
        const Jws jws = must_parse_jws(body);
        CHECK(jws.alg == k.alg);
        CHECK(jws.header.at("alg") == to_string(k.alg));
        CHECK(jws.nonce == "bm9uY2U");
        CHECK(jws.url == "https://ca.home.arpa/acme/new-account");
        CHECK(jws.kid.empty());
        CHECK(std::string(jws.payload.begin(), jws.payload.end()) == payload);
        REQUIRE(jws.jwk);
        CHECK(jws.jwk->public_key_info() == k.key->subject_public_key());
        CHECK(verify(jws, *jws.jwk).ok());

        // Every other key refuses it: the alg does not fit, or the signature does not verify.
        for (const auto& other : generated_keys()) {
            if (other.key == k.key) continue;
            const auto result = verify(jws, must_parse_jwk(jwk_of(*other.key)));
            REQUIRE_FALSE(result.ok());
            CHECK(result.error().code == JoseErrc::bad_signature_algorithm);
        }
    }
}

TEST_CASE("a POST-as-GET (empty payload) with a kid round-trips", "[jws]") {
    Botan::AutoSeeded_RNG rng;
    const auto& k = generated_keys().front();
    const std::string body =
        sign_jws({{"kid", "https://ca.home.arpa/acme/acct/1"}}, "", *k.key, k.alg, rng);
    const Jws jws = must_parse_jws(body);
    CHECK(jws.payload_b64.empty());
    CHECK(jws.payload.empty());
    CHECK(jws.kid == "https://ca.home.arpa/acme/acct/1");
    CHECK_FALSE(jws.jwk);
    CHECK(verify(jws, must_parse_jwk(jwk_of(*k.key))).ok());
}

TEST_CASE("a signature from another key of the same type is bad_signature", "[jws]") {
    Botan::AutoSeeded_RNG rng;
    const Botan::ECDSA_PrivateKey signer(rng, Botan::EC_Group("secp256r1"));
    const Botan::ECDSA_PrivateKey other(rng, Botan::EC_Group("secp256r1"));
    const Jws jws = must_parse_jws(sign_jws(json::object(), "{}", signer, Alg::es256, rng));
    const auto result = verify(jws, must_parse_jwk(jwk_of(other)));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == JoseErrc::bad_signature);
}

TEST_CASE("sign_jws refuses an alg that does not fit the key", "[jws]") {
    Botan::AutoSeeded_RNG rng;
    const Botan::ECDSA_PrivateKey p256(rng, Botan::EC_Group("secp256r1"));
    CHECK_THROWS_AS(sign_jws(json::object(), "", p256, Alg::es384, rng), std::invalid_argument);
    CHECK_THROWS_AS(sign_jws(json::object(), "", p256, Alg::hs256, rng), std::invalid_argument);
    CHECK_THROWS_AS(sign_jws(json::array(), "", p256, Alg::es256, rng), std::invalid_argument);
}

TEST_CASE("HS256 round-trips for External Account Binding, and a wrong key fails", "[jws][hs256]") {
    const Bytes mac_key = base64url_decode("c2VjcmV0LWVhYi1tYWMta2V5LW9mLTMyLWJ5dGVzISE").value();
    const json inner_jwk = rfc7515_a3_public_jwk();
    const std::string body =
        sign_jws_hs256({{"kid", "eab-key-1"}, {"url", "https://ca.home.arpa/acme/new-account"}},
                       inner_jwk.dump(), mac_key);
    const Jws jws = must_parse_jws(body);
    CHECK(jws.alg == Alg::hs256);
    CHECK(jws.kid == "eab-key-1");
    CHECK(verify_hs256(jws, mac_key).ok());

    Bytes wrong_key = mac_key;
    wrong_key.back() ^= 1;
    auto result = verify_hs256(jws, wrong_key);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == JoseErrc::bad_signature);

    Jws short_tag = jws;
    short_tag.signature.pop_back();
    result = verify_hs256(short_tag, mac_key);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == JoseErrc::bad_signature);

    // verify() is for account keys: an HS256 JWS never passes it, whatever key it is given.
    result = verify(jws, must_parse_jwk(inner_jwk));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == JoseErrc::bad_signature_algorithm);
}

TEST_CASE("verify_hs256 refuses asymmetric algs", "[jws][hs256]") {
    const Jws jws =
        must_parse_jws(flattened(kRfc7515A3Protected, kRfc7515Payload, kRfc7515A3Signature));
    const auto result = verify_hs256(jws, Bytes(32, 1));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == JoseErrc::bad_signature_algorithm);
}

TEST_CASE("alg names", "[jws]") {
    for (const Alg alg : {Alg::es256, Alg::es384, Alg::rs256, Alg::eddsa, Alg::hs256})
        CHECK(alg_from(to_string(alg)) == alg);
    CHECK_FALSE(alg_from("none"));
    CHECK_FALSE(alg_from("es256"));  // JOSE names are case-sensitive (RFC 7515 section 4)
    CHECK_FALSE(alg_from("ES512"));
    CHECK(asymmetric_alg_names() == std::vector<std::string>{"ES256", "ES384", "RS256", "EdDSA"});
}

}  // namespace
}  // namespace rca::jose
