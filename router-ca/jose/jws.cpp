#include "jose/jws.hpp"

#include <botan/exceptn.h>
#include <botan/mac.h>
#include <botan/mem_ops.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include <stdexcept>

#include "common/enum_names.hpp"
#include "jose/strict_json.hpp"

namespace rca::jose {
namespace {

using nlohmann::json;

JoseError malformed(std::string detail) { return {JoseErrc::malformed, std::move(detail)}; }
JoseError bad_alg(std::string detail) {
    return {JoseErrc::bad_signature_algorithm, std::move(detail)};
}
JoseError bad_signature(std::string detail) { return {JoseErrc::bad_signature, std::move(detail)}; }

/// Indexed by Alg (RFC 7518 section 3.1, RFC 8037 section 3.1).
constexpr const char* kAlgNames[] = {"ES256", "ES384", "RS256", "EdDSA", "HS256"};

/// The alg each key type signs with: ACME accounts have one algorithm per key (RFC 7518 3.4
/// ties ES256 to P-256 and ES384 to P-384; RS256 is the only RSA alg accepted).
std::optional<Alg> alg_for_key(const std::string& kty, const std::string& crv) {
    if (kty == "EC" && crv == "P-256") return Alg::es256;
    if (kty == "EC" && crv == "P-384") return Alg::es384;
    if (kty == "RSA") return Alg::rs256;
    if (kty == "OKP" && crv == "Ed25519") return Alg::eddsa;
    return std::nullopt;
}

/// Botan's padding name for alg (RFC 7518 section 3.1; RFC 8037 section 3.1).
const char* botan_padding(Alg alg) {
    switch (alg) {
        case Alg::es256:
            return "EMSA1(SHA-256)";
        case Alg::es384:
            return "EMSA1(SHA-384)";
        case Alg::rs256:
            return "EMSA3(SHA-256)";
        case Alg::eddsa:
            return "Pure";
        case Alg::hs256:
            break;
    }
    throw std::invalid_argument("no public-key padding for HS256");
}

/// The exact signature length of alg under key: r||s with each half the size of the group order
/// (RFC 7518 section 3.4), the modulus size for RSA (RFC 8017 section 8.2.2 step 1), 64 for
/// Ed25519 (RFC 8032 section 5.1.6).
size_t signature_size(Alg alg, const Botan::Public_Key& key) {
    switch (alg) {
        case Alg::es256:
            return 64;
        case Alg::es384:
            return 96;
        case Alg::rs256: {
            const auto* rsa = dynamic_cast<const Botan::RSA_PublicKey*>(&key);
            return rsa ? rsa->get_n().bytes() : 0;
        }
        case Alg::eddsa:
            return 64;
        case Alg::hs256:
            return 32;
    }
    return 0;
}

Bytes hmac_sha256(const Bytes& key, std::string_view data) {
    const auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
    mac->set_key(key);
    mac->update(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    const auto tag = mac->final();
    return Bytes(tag.begin(), tag.end());
}

/// The flattened JSON serialization of an already signed JWS.
std::string flattened(const std::string& protected_b64, const std::string& payload_b64,
                      const Bytes& signature) {
    return json{{"protected", protected_b64},
                {"payload", payload_b64},
                {"signature", base64url_encode(signature)}}
        .dump();
}

/// The optional string header member name into out; malformed when present but not a string.
std::optional<JoseError> optional_string(const json& header, const char* name, std::string& out) {
    const auto it = header.find(name);
    if (it == header.end()) return std::nullopt;
    if (!it->is_string())
        return malformed(std::string("protected header \"") + name + "\" must be a string");
    out = it->get<std::string>();
    return std::nullopt;
}

JoseResult<Jws> parse_jws_unchecked(std::string_view body, size_t max_bytes) {
    if (body.size() > max_bytes)
        return malformed("JWS body is " + std::to_string(body.size()) + " bytes; the limit is " +
                         std::to_string(max_bytes));
    auto outer = parse_strict_json(body, "JWS body");
    if (!outer) return outer.error();
    const json& object = outer.value();
    if (!object.is_object())
        return malformed("JWS must be a JSON object in the flattened serialization");
    // RFC 8555 section 6.2: flattened JSON only, no unprotected header; the general serialization
    // ("signatures") and anything else are refused rather than ignored.
    for (const auto& member : object.items()) {
        const auto& name = member.key();
        if (name == "header")
            return malformed(
                "JWS has an unprotected \"header\"; ACME allows only the protected header (RFC "
                "8555 section 6.2)");
        if (name != "protected" && name != "payload" && name != "signature")
            return malformed("JWS has the member \"" + name +
                             "\"; the flattened form has only \"protected\", \"payload\" and "
                             "\"signature\" (RFC 8555 section 6.2)");
    }
    Jws jws;
    Bytes protected_bytes;
    for (const auto& [name, b64, decoded] :
         {std::tuple{"protected", &jws.protected_b64, &protected_bytes},
          std::tuple{"payload", &jws.payload_b64, &jws.payload},
          std::tuple{"signature", static_cast<std::string*>(nullptr), &jws.signature}}) {
        const auto it = object.find(name);
        if (it == object.end()) return malformed(std::string("JWS has no \"") + name + "\"");
        if (!it->is_string())
            return malformed(std::string("JWS \"") + name + "\" must be a string");
        const auto& text = it->get_ref<const std::string&>();
        auto bytes = base64url_decode(text);
        if (!bytes)
            return malformed(std::string("JWS \"") + name +
                             "\" is not unpadded base64url (RFC 7515 section 2)");
        if (b64) *b64 = text;
        *decoded = std::move(bytes).value();
    }

    const std::string_view header_text(reinterpret_cast<const char*>(protected_bytes.data()),
                                       protected_bytes.size());
    auto header = parse_strict_json(header_text, "protected header");
    if (!header) return header.error();
    jws.header = std::move(header).value();
    if (!jws.header.is_object()) return malformed("protected header must be a JSON object");

    const auto alg = jws.header.find("alg");
    if (alg == jws.header.end() || !alg->is_string())
        return malformed("protected header has no string \"alg\"");
    const auto parsed_alg = alg_from(alg->get_ref<const std::string&>());
    if (!parsed_alg)
        return bad_alg("alg \"" + alg->get<std::string>() +
                       "\" is not accepted; use ES256, ES384, RS256 or EdDSA");
    jws.alg = *parsed_alg;

    // RFC 7515 section 4.1.11: a recipient must refuse extensions it does not understand, and
    // this one understands none.
    if (jws.header.contains("crit"))
        return malformed("protected header has \"crit\"; no extensions are supported");
    if (jws.header.contains("jwk") && jws.header.contains("kid"))
        return malformed(
            "protected header has both \"jwk\" and \"kid\"; send exactly one (RFC 8555 "
            "section 6.2)");
    for (const auto& [name, out] :
         {std::pair{"kid", &jws.kid}, std::pair{"nonce", &jws.nonce}, std::pair{"url", &jws.url}})
        if (auto error = optional_string(jws.header, name, *out)) return *error;

    if (const auto it = jws.header.find("jwk"); it != jws.header.end()) {
        auto jwk = parse_jwk(*it);
        if (!jwk)
            return JoseError{JoseErrc::bad_public_key, "header \"jwk\": " + jwk.error().detail};
        jws.jwk = std::move(jwk).value();
    }
    return jws;
}

}  // namespace

const char* to_string(Alg alg) { return enum_name(kAlgNames, alg); }

std::optional<Alg> alg_from(std::string_view name) {
    return enum_from_name<Alg>(kAlgNames, std::string(name));
}

std::vector<std::string> asymmetric_alg_names() {
    return {to_string(Alg::es256), to_string(Alg::es384), to_string(Alg::rs256),
            to_string(Alg::eddsa)};
}

std::string Jws::signing_input() const { return protected_b64 + "." + payload_b64; }

JoseResult<Jws> parse_jws(std::string_view body, size_t max_bytes) {
    // The checks above should leave nlohmann nothing to throw on (parse_jwk catches Botan's own);
    // this keeps hostile input a value even if they missed something.
    try {
        return parse_jws_unchecked(body, max_bytes);
    } catch (const json::exception& e) {
        return malformed(std::string("JWS could not be read: ") + e.what());
    }
}

JoseResult<rca::Done> verify(const Jws& jws, const Jwk& key) {
    if (jws.alg == Alg::hs256)
        return bad_alg(
            "HS256 is only for External Account Binding; sign with ES256, ES384, RS256 or EdDSA");
    if (!key.key) return JoseError{JoseErrc::bad_public_key, "no key to verify with"};
    const auto fitting = alg_for_key(key.kty, key.crv);
    if (!fitting || *fitting != jws.alg)
        return bad_alg(std::string("alg ") + to_string(jws.alg) + " does not fit the " + key.kty +
                       (key.crv.empty() ? "" : " " + key.crv) + " key" +
                       (fitting ? std::string("; use ") + to_string(*fitting) : std::string()));
    try {
        const size_t expected = signature_size(jws.alg, *key.key);
        // Botan would accept other lengths for some algorithms (a DER-less short r||s, an RSA
        // signature missing leading zeros); the JWS form has exactly one length.
        if (jws.signature.size() != expected)
            return bad_signature(std::string(to_string(jws.alg)) + " signature must be " +
                                 std::to_string(expected) + " bytes, got " +
                                 std::to_string(jws.signature.size()));
        Botan::PK_Verifier verifier(*key.key, botan_padding(jws.alg), Botan::IEEE_1363);
        const std::string input = jws.signing_input();
        if (verifier.verify_message(reinterpret_cast<const uint8_t*>(input.data()), input.size(),
                                    jws.signature.data(), jws.signature.size()))
            return rca::Done{};
    } catch (const Botan::Exception& e) {
        return bad_signature(std::string("signature could not be checked: ") + e.what());
    }
    return bad_signature("signature does not verify");
}

JoseResult<rca::Done> verify_hs256(const Jws& jws, const Bytes& mac_key) {
    if (jws.alg != Alg::hs256)
        return bad_alg(
            "External Account Binding must be signed with HS256 (RFC 8555 section 7.3.4)");
    const Bytes expected = hmac_sha256(mac_key, jws.signing_input());
    if (jws.signature.size() != expected.size() ||
        !Botan::constant_time_compare(expected.data(), jws.signature.data(), expected.size()))
        return bad_signature("HS256 signature does not verify");
    return rca::Done{};
}

std::string sign_jws(json protected_header, std::string_view payload, const Botan::Private_Key& key,
                     Alg alg, Botan::RandomNumberGenerator& rng) {
    if (!protected_header.is_object())
        throw std::invalid_argument("sign_jws: protected header must be a JSON object");
    if (alg == Alg::hs256) throw std::invalid_argument("sign_jws: HS256 signs with sign_jws_hs256");
    const json jwk = jwk_of(key);
    const auto fitting =
        alg_for_key(jwk.at("kty").get<std::string>(), jwk.value("crv", std::string()));
    if (fitting != alg)
        throw std::invalid_argument(std::string("sign_jws: alg ") + to_string(alg) +
                                    " does not fit the key");
    protected_header["alg"] = to_string(alg);
    const std::string protected_b64 = base64url_encode(protected_header.dump());
    const std::string payload_b64 = base64url_encode(payload);
    const std::string input = protected_b64 + "." + payload_b64;
    Botan::PK_Signer signer(key, rng, botan_padding(alg), Botan::IEEE_1363);
    const Bytes signature =
        signer.sign_message(reinterpret_cast<const uint8_t*>(input.data()), input.size(), rng);
    return flattened(protected_b64, payload_b64, signature);
}

std::string sign_jws_hs256(json protected_header, std::string_view payload, const Bytes& mac_key) {
    if (!protected_header.is_object())
        throw std::invalid_argument("sign_jws_hs256: protected header must be a JSON object");
    protected_header["alg"] = to_string(Alg::hs256);
    const std::string protected_b64 = base64url_encode(protected_header.dump());
    const std::string payload_b64 = base64url_encode(payload);
    return flattened(protected_b64, payload_b64,
                     hmac_sha256(mac_key, protected_b64 + "." + payload_b64));
}

}  // namespace rca::jose
