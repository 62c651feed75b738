#include "jose/jwk.hpp"

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

TEST_CASE("RFC 7515 A.3.1: the ES256 example key parses as a P-256 key", "[jwk]") {
    const auto jwk = parse_jwk(rfc7515_a3_public_jwk());
    REQUIRE(jwk.ok());
    CHECK(jwk.value().kty == "EC");
    CHECK(jwk.value().crv == "P-256");
    CHECK(jwk.value().key->algo_name() == "ECDSA");
    CHECK(jwk.value().canonical_json == std::string(R"({"crv":"P-256","kty":"EC","x":")") +
                                            kRfc7515A3X + R"(","y":")" + kRfc7515A3Y + R"("})");
}

TEST_CASE("RFC 7638 3.1: the RSA example's thumbprint, optional members ignored", "[jwk]") {
    // The RFC's JWK carries "alg" and "kid"; neither is part of the thumbprint input.
    const json object = {
        {"kty", "RSA"}, {"n", kRfc7638N}, {"e", "AQAB"}, {"alg", "RS256"}, {"kid", "2011-04-29"}};
    const auto jwk = parse_jwk(object);
    REQUIRE(jwk.ok());
    CHECK(jwk.value().kty == "RSA");
    CHECK(jwk.value().crv.empty());
    CHECK(jwk.value().canonical_json ==
          std::string(R"({"e":"AQAB","kty":"RSA","n":")") + kRfc7638N + R"("})");
    CHECK(jwk.value().thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST_CASE("RFC 8037 A.2/A.3: the Ed25519 public key and its thumbprint", "[jwk]") {
    const auto jwk = parse_jwk(rfc8037_public_jwk());
    REQUIRE(jwk.ok());
    CHECK(jwk.value().kty == "OKP");
    CHECK(jwk.value().crv == "Ed25519");
    CHECK(jwk.value().canonical_json ==
          std::string(R"({"crv":"Ed25519","kty":"OKP","x":")") + kRfc8037X + R"("})");
    CHECK(jwk.value().thumbprint == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST_CASE("jwk_of and parse_jwk round-trip Botan-made keys", "[jwk]") {
    Botan::AutoSeeded_RNG rng;
    std::vector<std::unique_ptr<Botan::Private_Key>> keys;
    keys.push_back(std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1")));
    keys.push_back(std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp384r1")));
    keys.push_back(std::make_unique<Botan::RSA_PrivateKey>(rng, 2048));
    // Several Ed25519 keys: about half of all 32-byte strings are not points, so a wrong point
    // check would refuse some of these.
    for (int i = 0; i < 16; ++i) keys.push_back(std::make_unique<Botan::Ed25519_PrivateKey>(rng));

    for (const auto& key : keys) {
        const json object = jwk_of(*key);
        CAPTURE(object.dump());
        const auto jwk = parse_jwk(object);
        REQUIRE(jwk.ok());
        CHECK(jwk.value().public_key_info() == key->subject_public_key());
        // jwk_of gives the required members only, so its compact dump is the canonical form.
        CHECK(jwk.value().canonical_json == object.dump());
    }
}

TEST_CASE("jwk_of refuses key types ACME accounts do not use", "[jwk]") {
    Botan::AutoSeeded_RNG rng;
    const Botan::ECDSA_PrivateKey p521(rng, Botan::EC_Group("secp521r1"));
    CHECK_THROWS_AS(jwk_of(p521), std::invalid_argument);
}

/// The A.3 key with member name replaced by value (or removed when value is null).
json ec_with(const std::string& name, const json& value) {
    json object = rfc7515_a3_public_jwk();
    if (value.is_null())
        object.erase(name);
    else
        object[name] = value;
    return object;
}

json rsa_with(const std::string& name, const json& value) {
    json object = {{"kty", "RSA"}, {"n", kRfc7638N}, {"e", "AQAB"}};
    if (value.is_null())
        object.erase(name);
    else
        object[name] = value;
    return object;
}

json okp_with(const std::string& name, const json& value) {
    json object = rfc8037_public_jwk();
    object[name] = value;
    return object;
}

std::string b64(const Bytes& bytes) { return base64url_encode(bytes); }
Bytes b64d(const std::string& text) { return base64url_decode(text).value(); }

/// An odd number of the given size in bits, not a real modulus: parse_jwk must refuse it on size
/// before anything else looks at it.
std::string odd_modulus(size_t bits) {
    Bytes n((bits + 7) / 8, 0xc5);
    n.front() = static_cast<uint8_t>(0xff >> (n.size() * 8 - bits));
    return b64(n);
}

TEST_CASE("parse_jwk refuses hostile and unsupported keys", "[jwk][hostile]") {
    Bytes y_off_curve = b64d(kRfc7515A3Y);
    y_off_curve.back() ^= 1;
    Bytes x31 = b64d(kRfc7515A3X);
    x31.erase(x31.begin());
    Bytes x33 = b64d(kRfc7515A3X);
    x33.insert(x33.begin(), 0);
    Bytes n_leading_zero = b64d(kRfc7638N);
    n_leading_zero.insert(n_leading_zero.begin(), 0);
    Bytes n_even = b64d(kRfc7638N);
    n_even.back() &= 0xfe;
    json origin = ec_with("x", b64(Bytes(32, 0)));
    origin["y"] = b64(Bytes(32, 0));
    Bytes y_is_p(32, 0xff);  // 2^255 - 19, little-endian
    y_is_p.front() = 0xed;
    y_is_p.back() = 0x7f;

    struct Case {
        const char* what;
        json object;
        JoseErrc code;
    };
    const Case cases[] = {
        {"not an object", json::array({1, 2}), JoseErrc::malformed},
        {"a string", "EC", JoseErrc::malformed},
        {"no kty", ec_with("kty", nullptr), JoseErrc::malformed},
        {"kty not a string", ec_with("kty", 1), JoseErrc::malformed},
        {"kty oct", json{{"kty", "oct"}}, JoseErrc::bad_public_key},
        {"symmetric k", json{{"kty", "oct"}, {"k", "AAAA"}}, JoseErrc::bad_public_key},
        {"EC private d", ec_with("d", "jpsQnnGQmL-YBIffH1136cLSG6LtA3ycGK-cq-dWpWE"),
         JoseErrc::bad_public_key},
        {"EC d of any type", ec_with("d", json::array()), JoseErrc::bad_public_key},
        {"RSA private p", rsa_with("p", "AQAB"), JoseErrc::bad_public_key},
        {"RSA private qi", rsa_with("qi", "AQAB"), JoseErrc::bad_public_key},
        {"RSA private oth", rsa_with("oth", json::array()), JoseErrc::bad_public_key},
        {"OKP private d", okp_with("d", "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"),
         JoseErrc::bad_public_key},
        {"EC no crv", ec_with("crv", nullptr), JoseErrc::malformed},
        {"EC P-521", ec_with("crv", "P-521"), JoseErrc::bad_public_key},
        {"EC secp256k1", ec_with("crv", "secp256k1"), JoseErrc::bad_public_key},
        {"EC P-256 coordinates called P-384", ec_with("crv", "P-384"), JoseErrc::bad_public_key},
        {"EC no y", ec_with("y", nullptr), JoseErrc::malformed},
        {"EC x a number", ec_with("x", 12), JoseErrc::malformed},
        {"EC x padded", ec_with("x", std::string(kRfc7515A3X) + "="), JoseErrc::malformed},
        {"EC x standard alphabet", ec_with("x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU+"),
         JoseErrc::malformed},
        {"EC x of 31 bytes", ec_with("x", b64(x31)), JoseErrc::bad_public_key},
        {"EC x of 33 bytes", ec_with("x", b64(x33)), JoseErrc::bad_public_key},
        {"EC x empty", ec_with("x", ""), JoseErrc::bad_public_key},
        {"EC point not on the curve", ec_with("y", b64(y_off_curve)), JoseErrc::bad_public_key},
        {"EC x above the field prime", ec_with("x", b64(Bytes(32, 0xff))),
         JoseErrc::bad_public_key},
        {"EC point (0, 0)", origin, JoseErrc::bad_public_key},
        {"RSA no n", rsa_with("n", nullptr), JoseErrc::malformed},
        {"RSA n not base64url", rsa_with("n", "!!!!"), JoseErrc::malformed},
        {"RSA 1024", rsa_with("n", odd_modulus(1024)), JoseErrc::bad_public_key},
        {"RSA 2047", rsa_with("n", odd_modulus(2047)), JoseErrc::bad_public_key},
        {"RSA 8200", rsa_with("n", odd_modulus(8200)), JoseErrc::bad_public_key},
        {"RSA n with a leading zero", rsa_with("n", b64(n_leading_zero)), JoseErrc::bad_public_key},
        {"RSA n even", rsa_with("n", b64(n_even)), JoseErrc::bad_public_key},
        {"RSA e with a leading zero", rsa_with("e", "AAEAAQ"), JoseErrc::bad_public_key},
        {"RSA e = 1", rsa_with("e", "AQ"), JoseErrc::bad_public_key},
        {"RSA e = 2", rsa_with("e", "Ag"), JoseErrc::bad_public_key},
        {"RSA e empty", rsa_with("e", ""), JoseErrc::bad_public_key},
        {"RSA e of 5 bytes", rsa_with("e", b64(Bytes{1, 0, 0, 0, 1})), JoseErrc::bad_public_key},
        {"OKP X25519", okp_with("crv", "X25519"), JoseErrc::bad_public_key},
        {"OKP Ed448", okp_with("crv", "Ed448"), JoseErrc::bad_public_key},
        {"OKP x of 31 bytes", okp_with("x", b64(Bytes(31, 7))), JoseErrc::bad_public_key},
        // RFC 8032 5.1.3: y = 2 gives an x^2 with no square root; y = 1 gives x = 0, so the sign
        // bit must be clear; y = p is a non-canonical encoding of y = 0.
        {"OKP not a point", okp_with("x", "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
         JoseErrc::bad_public_key},
        {"OKP x = 0 with the sign bit",
         okp_with("x", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIA"), JoseErrc::bad_public_key},
        {"OKP y = p", okp_with("x", b64(y_is_p)), JoseErrc::bad_public_key},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what, c.object.dump());
        const auto jwk = parse_jwk(c.object);
        REQUIRE_FALSE(jwk.ok());
        CHECK(jwk.error().code == c.code);
        CHECK_FALSE(jwk.error().detail.empty());
    }
}

TEST_CASE("the hostile-key cases are refused for the reason given, not by accident", "[jwk]") {
    // The controls: each base the cases above mutate parses.
    CHECK(parse_jwk(ec_with("kid", "a")).ok());
    CHECK(parse_jwk(rsa_with("use", "sig")).ok());
    CHECK(parse_jwk(okp_with("alg", "EdDSA")).ok());
    // And the two Ed25519 encodings next to the refused ones are points.
    CHECK(parse_jwk(okp_with("x", "AwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).ok());  // y = 3
    CHECK(parse_jwk(okp_with("x", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).ok());  // y = 1
}

}  // namespace
}  // namespace rca::jose
