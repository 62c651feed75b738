// What a hostile or broken ACME client can send. Each case asserts the JoseErrc, since ACME maps
// each to its own problem type (RFC 8555 section 6.7).
#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/rsa.h>

#include <catch2/catch.hpp>
#include <random>

#include "jose/jws.hpp"
#include "rfc_vectors.hpp"

namespace rca::jose {
namespace {

using nlohmann::json;
using namespace test;

constexpr size_t kMaxBody = 16 * 1024;

/// A flattened JWS whose protected header is the given JSON text, with the RFC 7515 A.3 payload
/// and signature: parsing is checked before any signature is.
std::string with_header(const std::string& header_text) {
    return flattened(base64url_encode(header_text), kRfc7515Payload, kRfc7515A3Signature);
}

const std::string kGood = flattened(kRfc7515A3Protected, kRfc7515Payload, kRfc7515A3Signature);

/// kGood with one member's value replaced by raw JSON text.
std::string good_with_raw(const std::string& member, const std::string& raw_value) {
    json object = json::parse(kGood);
    object[member] = "@@";
    std::string text = object.dump();
    const auto at = text.find("\"@@\"");
    return text.replace(at, 4, raw_value);
}

TEST_CASE("parse_jws refuses hostile bodies with the right error", "[jws][hostile]") {
    const std::string p = kRfc7515A3Protected;
    const std::string pl = kRfc7515Payload;
    const std::string s = kRfc7515A3Signature;
    json jwk_31 = rfc7515_a3_public_jwk();
    jwk_31["x"] = base64url_encode(base64url_decode(kRfc7515A3X)->data() + 1, 31);
    json jwk_private = rfc7515_a3_public_jwk();
    jwk_private["d"] = "jpsQnnGQmL-YBIffH1136cLSG6LtA3ycGK-cq-dWpWE";
    json jwk_off_curve = rfc7515_a3_public_jwk();
    jwk_off_curve["y"] = kRfc7515A3X;
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += "[";
    for (int i = 0; i < 40; ++i) deep += "]";

    struct Case {
        const char* what;
        std::string body;
        JoseErrc code;
    };
    const Case cases[] = {
        // The body.
        {"empty body", "", JoseErrc::malformed},
        {"not JSON", "eyJhbGciOiJFUzI1NiJ9.e30.AAAA", JoseErrc::malformed},
        {"a JSON array", "[" + kGood + "]", JoseErrc::malformed},
        {"trailing garbage", kGood + "x", JoseErrc::malformed},
        {"over max_bytes", kGood + std::string(kMaxBody, ' '), JoseErrc::malformed},
        {"deep nesting in the body", "{\"payload\":" + deep + "}", JoseErrc::malformed},
        {"unprotected header", good_with_raw("header", R"({"kid":"1"})"), JoseErrc::malformed},
        {"extra top-level member", good_with_raw("extra", "1"), JoseErrc::malformed},
        {"general serialization", good_with_raw("signatures", "[]"), JoseErrc::malformed},
        {"duplicate top-level member",
         R"({"protected":")" + p + R"(","protected":")" + p + R"(","payload":")" + pl +
             R"(","signature":")" + s + R"("})",
         JoseErrc::malformed},
        {"duplicate payload, the last one empty",
         R"({"protected":")" + p + R"(","payload":")" + pl + R"(","payload":"","signature":")" + s +
             R"("})",
         JoseErrc::malformed},
        {"protected a number", good_with_raw("protected", "5"), JoseErrc::malformed},
        {"payload null", good_with_raw("payload", "null"), JoseErrc::malformed},
        {"signature an object", good_with_raw("signature", "{}"), JoseErrc::malformed},
        {"no payload", json{{"protected", p}, {"signature", s}}.dump(), JoseErrc::malformed},
        {"no signature", json{{"protected", p}, {"payload", pl}}.dump(), JoseErrc::malformed},
        {"protected padded", flattened(p + "=", pl, s), JoseErrc::malformed},
        {"payload with '+'", flattened(p, pl + "+", s), JoseErrc::malformed},
        {"signature in base64 with '/'", flattened(p, pl, "/" + s.substr(1)), JoseErrc::malformed},
        {"signature with a space", flattened(p, pl, s.substr(0, 4) + " " + s.substr(4)),
         JoseErrc::malformed},
        {"payload with trailing bits", flattened(p, pl.substr(0, pl.size() - 1) + "R", s),
         JoseErrc::malformed},
        // The protected header.
        {"protected header empty", flattened("", pl, s), JoseErrc::malformed},
        {"protected header not JSON", with_header("alg=ES256"), JoseErrc::malformed},
        {"protected header an array", with_header(R"(["ES256"])"), JoseErrc::malformed},
        {"protected header a string", with_header(R"("ES256")"), JoseErrc::malformed},
        {"protected header invalid UTF-8", with_header("{\"alg\":\"ES256\",\"kid\":\"\xff\"}"),
         JoseErrc::malformed},
        {"protected header nested too deep", with_header(R"({"alg":"ES256","x":)" + deep + "}"),
         JoseErrc::malformed},
        {"no alg", with_header(R"({"kid":"1"})"), JoseErrc::malformed},
        {"alg a number", with_header(R"({"alg":256})"), JoseErrc::malformed},
        {"alg none", with_header(R"({"alg":"none"})"), JoseErrc::bad_signature_algorithm},
        {"alg unknown", with_header(R"({"alg":"ES512"})"), JoseErrc::bad_signature_algorithm},
        {"alg in lower case", with_header(R"({"alg":"es256"})"), JoseErrc::bad_signature_algorithm},
        {"duplicate alg, the last one none", with_header(R"({"alg":"ES256","alg":"none"})"),
         JoseErrc::malformed},
        {"duplicate alg, both ES256", with_header(R"({"alg":"ES256","alg":"ES256"})"),
         JoseErrc::malformed},
        {"duplicate inside the jwk",
         with_header(R"({"alg":"ES256","jwk":{"kty":"EC","kty":"RSA"}})"), JoseErrc::malformed},
        {"crit", with_header(R"({"alg":"ES256","crit":["b64"],"b64":false})"), JoseErrc::malformed},
        {"both jwk and kid",
         with_header(json{{"alg", "ES256"}, {"jwk", rfc7515_a3_public_jwk()}, {"kid", "1"}}.dump()),
         JoseErrc::malformed},
        {"kid a number", with_header(R"({"alg":"ES256","kid":1})"), JoseErrc::malformed},
        {"nonce an array", with_header(R"({"alg":"ES256","nonce":["a"]})"), JoseErrc::malformed},
        {"url null", with_header(R"({"alg":"ES256","url":null})"), JoseErrc::malformed},
        {"jwk a string", with_header(R"({"alg":"ES256","jwk":"f83OJ3D2"})"),
         JoseErrc::bad_public_key},
        {"jwk x of 31 bytes", with_header(json{{"alg", "ES256"}, {"jwk", jwk_31}}.dump()),
         JoseErrc::bad_public_key},
        {"jwk with private d", with_header(json{{"alg", "ES256"}, {"jwk", jwk_private}}.dump()),
         JoseErrc::bad_public_key},
        {"jwk off the curve", with_header(json{{"alg", "ES256"}, {"jwk", jwk_off_curve}}.dump()),
         JoseErrc::bad_public_key},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what, c.body);
        const auto jws = parse_jws(c.body, kMaxBody);
        REQUIRE_FALSE(jws.ok());
        CHECK(jws.error().code == c.code);
        CHECK_FALSE(jws.error().detail.empty());
    }
}

TEST_CASE("the hostile-body cases differ from an accepted body only in what they name",
          "[jws][hostile]") {
    // Controls for the table above: the base body, a header with the same extra members done
    // right, and a body exactly at the size limit all parse.
    CHECK(parse_jws(kGood, kMaxBody).ok());
    CHECK(parse_jws(kGood, kGood.size()).ok());
    CHECK_FALSE(parse_jws(kGood, kGood.size() - 1).ok());
    const auto jws = parse_jws(
        with_header(
            json{{"alg", "ES256"}, {"jwk", rfc7515_a3_public_jwk()}, {"nonce", "n"}}.dump()),
        kMaxBody);
    REQUIRE(jws.ok());
    CHECK(jws.value().jwk);
    CHECK(jws.value().nonce == "n");
    std::string nested;
    for (int i = 0; i < 20; ++i) nested += "[";
    for (int i = 0; i < 20; ++i) nested += "]";
    CHECK(parse_jws(with_header(R"({"alg":"ES256","x":)" + nested + "}"), kMaxBody).ok());
}

Jwk key_of(const json& object) {
    auto jwk = parse_jwk(object);
    REQUIRE(jwk.ok());
    return std::move(jwk).value();
}

JoseErrc verify_error(const std::string& body, const Jwk& key) {
    const auto jws = parse_jws(body, kMaxBody);
    REQUIRE(jws.ok());
    const auto result = verify(jws.value(), key);
    REQUIRE_FALSE(result.ok());
    CHECK_FALSE(result.error().detail.empty());
    return result.error().code;
}

TEST_CASE("verify refuses an alg that does not fit the key", "[jws][hostile]") {
    Botan::AutoSeeded_RNG rng;
    const Botan::ECDSA_PrivateKey p384(rng, Botan::EC_Group("secp384r1"));
    const Jwk a3_key = key_of(rfc7515_a3_public_jwk());
    // ES256 checked against a P-384 key.
    CHECK(verify_error(kGood, key_of(jwk_of(p384))) == JoseErrc::bad_signature_algorithm);
    // RS256 (the RFC 7515 A.2 example) checked against an EC key.
    CHECK(verify_error(flattened(kRfc7515A2Protected, kRfc7515Payload, kRfc7515A2Signature),
                       a3_key) == JoseErrc::bad_signature_algorithm);
    // EdDSA checked against an RSA key.
    CHECK(verify_error(flattened(kRfc8037Protected, kRfc8037Payload, kRfc8037Signature),
                       key_of({{"kty", "RSA"}, {"n", kRfc7515A2N}, {"e", "AQAB"}})) ==
          JoseErrc::bad_signature_algorithm);
    // HS256 is never an account signature.
    CHECK(verify_error(with_header(R"({"alg":"HS256"})"), a3_key) ==
          JoseErrc::bad_signature_algorithm);
}

TEST_CASE("verify refuses ECDSA signatures of the wrong length and tampered input",
          "[jws][hostile]") {
    const Jwk key = key_of(rfc7515_a3_public_jwk());
    const Bytes signature = base64url_decode(kRfc7515A3Signature).value();
    const auto body_with = [](const Bytes& sig) {
        return flattened(kRfc7515A3Protected, kRfc7515Payload, base64url_encode(sig));
    };
    REQUIRE(signature.size() == 64);
    const Bytes truncated(signature.begin(), signature.end() - 1);
    Bytes lengthened = signature;
    lengthened.push_back(0);
    Bytes zero_padded = signature;  // r and s each with a leading zero: 66 bytes
    zero_padded.insert(zero_padded.begin() + 32, 0);
    zero_padded.insert(zero_padded.begin(), 0);
    Bytes flipped = signature;
    flipped[10] ^= 0x40;

    CHECK(verify_error(body_with(truncated), key) == JoseErrc::bad_signature);
    CHECK(verify_error(body_with(lengthened), key) == JoseErrc::bad_signature);
    CHECK(verify_error(body_with(zero_padded), key) == JoseErrc::bad_signature);
    CHECK(verify_error(body_with({}), key) == JoseErrc::bad_signature);
    CHECK(verify_error(body_with(Bytes(64, 0)), key) == JoseErrc::bad_signature);
    CHECK(verify_error(body_with(flipped), key) == JoseErrc::bad_signature);
    // The payload or the protected header changed under the same signature.
    CHECK(verify_error(flattened(kRfc7515A3Protected, base64url_encode(R"({"iss":"eve"})"),
                                 kRfc7515A3Signature),
                       key) == JoseErrc::bad_signature);
    CHECK(verify_error(with_header(R"({"alg":"ES256","nonce":"x"})"), key) ==
          JoseErrc::bad_signature);
    // The control: the untouched body verifies.
    const auto jws = parse_jws(body_with(signature), kMaxBody);
    REQUIRE(jws.ok());
    CHECK(verify(jws.value(), key).ok());
}

TEST_CASE("verify refuses RSA signatures of the wrong length", "[jws][hostile]") {
    const Jwk key = key_of({{"kty", "RSA"}, {"n", kRfc7515A2N}, {"e", "AQAB"}});
    Bytes signature = base64url_decode(kRfc7515A2Signature).value();
    signature.insert(signature.begin(), 0);  // the same number, one byte longer
    CHECK(verify_error(flattened(kRfc7515A2Protected, kRfc7515Payload, base64url_encode(signature)),
                       key) == JoseErrc::bad_signature);
    // Above the modulus.
    CHECK(verify_error(
              flattened(kRfc7515A2Protected, kRfc7515Payload, base64url_encode(Bytes(256, 0xff))),
              key) == JoseErrc::bad_signature);
}

TEST_CASE("parse_jws and verify never throw on mutated input", "[jws][hostile]") {
    // A cheap fuzz pass with a fixed seed: flip, drop and insert bytes in a valid body with a
    // jwk, at the JSON level and inside the decoded protected header.
    Botan::AutoSeeded_RNG rng;
    const Botan::ECDSA_PrivateKey key(rng, Botan::EC_Group("secp256r1"));
    const std::string base = sign_jws({{"jwk", jwk_of(key)}, {"nonce", "abc"}, {"url", "u"}},
                                      R"({"a":1})", key, Alg::es256, rng);
    const json object = json::parse(base);
    const std::string header_text = [&] {
        const Bytes h = base64url_decode(object.at("protected").get<std::string>()).value();
        return std::string(h.begin(), h.end());
    }();
    const Jwk signer = key_of(jwk_of(key));

    std::mt19937 gen(7638);
    const std::string alphabet = "{}[]\":,\\ 0aA-_=+/\x80\xff";
    const auto mutate = [&](std::string text) {
        const int edits = 1 + static_cast<int>(gen() % 3);
        for (int i = 0; i < edits && !text.empty(); ++i) {
            const size_t at = gen() % text.size();
            switch (gen() % 3) {
                case 0:
                    text[at] = alphabet[gen() % alphabet.size()];
                    break;
                case 1:
                    text.erase(at, 1 + gen() % 4);
                    break;
                default:
                    text.insert(at, 1, alphabet[gen() % alphabet.size()]);
                    break;
            }
        }
        return text;
    };
    int parsed = 0;
    for (int i = 0; i < 3000; ++i) {
        const std::string body = i % 2 ? mutate(base)
                                       : flattened(base64url_encode(mutate(header_text)),
                                                   object.at("payload").get<std::string>(),
                                                   object.at("signature").get<std::string>());
        CAPTURE(body);
        REQUIRE_NOTHROW([&] {
            const auto jws = parse_jws(body, kMaxBody);
            if (!jws.ok()) return;
            ++parsed;
            (void)verify(jws.value(), signer);
            if (jws.value().jwk) (void)verify(jws.value(), *jws.value().jwk);
            (void)verify_hs256(jws.value(), Bytes(32, 1));
        }());
    }
    CHECK(parsed > 0);  // some mutations stay well-formed, so verify ran on them too
}

}  // namespace
}  // namespace rca::jose
