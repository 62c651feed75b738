// A vector made by another implementation: data/make_openssl_es384.sh made a P-384 key with
// "openssl ecparam -genkey", signed the JWS signing input with "openssl dgst -sha384 -sign", and
// turned openssl's DER ECDSA-Sig-Value into the 96-byte r||s JWS form (RFC 7518 section 3.4).
#include <botan/data_src.h>
#include <botan/x509_key.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "jose/jws.hpp"

namespace rca::jose {
namespace {

using nlohmann::json;

std::string read_data(const std::string& name) {
    std::ifstream in(std::string(JOSE_TEST_DATA_DIR) + "/" + name, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST_CASE("an ES384 JWS signed by the openssl CLI verifies", "[jws][openssl]") {
    const auto jwk = parse_jwk(json::parse(read_data("es384_jwk.json")));
    REQUIRE(jwk.ok());
    CHECK(jwk.value().crv == "P-384");

    // The JWK (cut from openssl's DER point by the script) is the same key as openssl's PEM.
    Botan::DataSource_Memory pem(read_data("es384_public.pem"));
    const std::unique_ptr<Botan::Public_Key> openssl_key(Botan::X509::load_key(pem));
    REQUIRE(openssl_key);
    CHECK(jwk.value().public_key_info() == openssl_key->subject_public_key());
    CHECK(jwk_of(*openssl_key) == json::parse(read_data("es384_jwk.json")));

    const std::string body = read_data("es384_jws.json");
    const auto jws = parse_jws(body, 4096);
    REQUIRE(jws.ok());
    CHECK(jws.value().alg == Alg::es384);
    CHECK(jws.value().nonce == "b3BlbnNzbA");
    CHECK(jws.value().url == "https://ca.home.arpa/acme/new-order");
    CHECK(jws.value().signature.size() == 96);
    CHECK(verify(jws.value(), jwk.value()).ok());

    // The same bytes with one bit of s flipped do not.
    Jws tampered = jws.value();
    tampered.signature.back() ^= 1;
    const auto result = verify(tampered, jwk.value());
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == JoseErrc::bad_signature);
}

}  // namespace
}  // namespace rca::jose
