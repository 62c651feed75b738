#include "jose/jwk.hpp"

#include <botan/bigint.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/exceptn.h>
#include <botan/hash.h>
#include <botan/numthry.h>
#include <botan/rsa.h>

#include <stdexcept>

namespace rca::jose {
namespace {

using nlohmann::json;

JoseError malformed(std::string detail) { return {JoseErrc::malformed, std::move(detail)}; }
JoseError bad_key(std::string detail) { return {JoseErrc::bad_public_key, std::move(detail)}; }

/// Members that carry private or symmetric key material: EC "d" (RFC 7518 section 6.2.2), RSA
/// "d" ... "oth" (section 6.3.2), symmetric "k" (section 6.4.1), OKP "d" (RFC 8037 section 2).
constexpr const char* kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

/// RSA exponents above 32 bits are refused: every deployed key uses 3 or 65537, Windows CryptoAPI
/// keeps e in a 32-bit field, and a huge e would make each verification as slow as a private-key
/// operation.
constexpr size_t kMaxRsaExponentBytes = 4;

/// The string member name of object; malformed when missing or not a string.
JoseResult<std::string> string_member(const json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end()) return malformed(std::string("JWK has no \"") + name + "\" member");
    if (!it->is_string()) return malformed(std::string("JWK \"") + name + "\" must be a string");
    return it->get<std::string>();
}

/// The decoded base64url member name of object. (Its size is the caller's to check: the text is
/// already in memory, and decoding it costs no more than that.)
JoseResult<Bytes> bytes_member(const json& object, const char* name) {
    auto text = string_member(object, name);
    if (!text) return text.error();
    auto bytes = base64url_decode(text.value());
    if (!bytes)
        return malformed(std::string("JWK \"") + name +
                         "\" is not unpadded base64url (RFC 7515 section 2)");
    return std::move(bytes).value();
}

/// base64url(SHA-256(canonical)) (RFC 7638 section 3).
std::string thumbprint_of(const std::string& canonical) {
    const auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
    const auto digest = sha256->process(canonical);
    return base64url_encode(digest.data(), digest.size());
}

Jwk make_jwk(std::shared_ptr<const Botan::Public_Key> key, std::string kty, std::string crv,
             std::string canonical) {
    Jwk jwk;
    jwk.key = std::move(key);
    jwk.kty = std::move(kty);
    jwk.crv = std::move(crv);
    jwk.thumbprint = thumbprint_of(canonical);
    jwk.canonical_json = std::move(canonical);
    return jwk;
}

// The canonical forms below are written out rather than produced by a JSON library: RFC 7638
// section 3.3 fixes member order and spacing, and every value here is base64url or a fixed name,
// so no escaping is ever needed.

std::string ec_canonical(const std::string& crv, const Bytes& x, const Bytes& y) {
    return R"({"crv":")" + crv + R"(","kty":"EC","x":")" + base64url_encode(x) + R"(","y":")" +
           base64url_encode(y) + R"("})";
}

std::string rsa_canonical(const Bytes& n, const Bytes& e) {
    return R"({"e":")" + base64url_encode(e) + R"(","kty":"RSA","n":")" + base64url_encode(n) +
           R"("})";
}

std::string okp_canonical(const Bytes& x) {
    return R"({"crv":"Ed25519","kty":"OKP","x":")" + base64url_encode(x) + R"("})";
}

/// The curves accepted, by JWK name (RFC 7518 section 6.2.1.1) and Botan name.
struct Curve {
    const char* jwk_name;
    const char* botan_name;
    size_t coordinate_bytes;
};
constexpr Curve kCurves[] = {{"P-256", "secp256r1", 32}, {"P-384", "secp384r1", 48}};

JoseResult<Jwk> parse_ec(const json& object) {
    auto crv = string_member(object, "crv");
    if (!crv) return crv.error();
    const Curve* curve = nullptr;
    for (const auto& c : kCurves)
        if (crv.value() == c.jwk_name) curve = &c;
    if (!curve) return bad_key("EC JWK \"crv\" must be \"P-256\" or \"P-384\"");

    auto x = bytes_member(object, "x");
    if (!x) return x.error();
    auto y = bytes_member(object, "y");
    if (!y) return y.error();
    // RFC 7518 section 6.2.1.2/6.2.1.3: each coordinate is the full size of the field, leading
    // zeros included; a shorter one is another encoding of a key, which would change its
    // thumbprint.
    for (const auto* coordinate : {&x.value(), &y.value()})
        if (coordinate->size() != curve->coordinate_bytes)
            return bad_key("EC JWK \"" + crv.value() + "\" coordinates must be exactly " +
                           std::to_string(curve->coordinate_bytes) + " bytes (RFC 7518 6.2.1.2)");

    const Botan::EC_Group group(curve->botan_name);
    const Botan::BigInt bx(x.value().data(), x.value().size());
    const Botan::BigInt by(y.value().data(), y.value().size());
    if (bx >= group.get_p() || by >= group.get_p())
        return bad_key("EC JWK coordinates must be below the field prime");
    // An off-curve point is the invalid-curve attack's input: refuse it before any use.
    const Botan::PointGFp point = group.point(bx, by);
    if (!point.on_the_curve() || !group.verify_public_element(point))
        return bad_key("EC JWK point is not on " + crv.value());

    auto key = std::make_shared<const Botan::ECDSA_PublicKey>(group, point);
    return make_jwk(std::move(key), "EC", crv.value(),
                    ec_canonical(crv.value(), x.value(), y.value()));
}

JoseResult<Jwk> parse_rsa(const json& object) {
    auto n = bytes_member(object, "n");
    if (!n) return n.error();
    auto e = bytes_member(object, "e");
    if (!e) return e.error();
    // RFC 7518 section 6.3.1.1: "MUST NOT be ... with leading zero octets" (and likewise e).
    for (const auto& [name, value] : {std::pair{"n", &n.value()}, std::pair{"e", &e.value()}}) {
        if (value->empty()) return bad_key(std::string("RSA JWK \"") + name + "\" is empty");
        if (value->front() == 0)
            return bad_key(std::string("RSA JWK \"") + name +
                           "\" has a leading zero byte; use the minimal big-endian form (RFC "
                           "7518 section 6.3.1.1)");
    }
    const auto size_error = [](size_t bits) {
        return bad_key("RSA JWK modulus is " + std::to_string(bits) + " bits; accepted are " +
                       std::to_string(kMinRsaBits) + " to " + std::to_string(kMaxRsaBits));
    };
    // Sizes are checked on the bytes first, so no big number is made of an oversized member.
    if (n.value().size() > kMaxRsaBits / 8) return size_error(n.value().size() * 8);
    if (e.value().size() > kMaxRsaExponentBytes)
        return bad_key("RSA JWK exponent is longer than " + std::to_string(kMaxRsaExponentBytes) +
                       " bytes");
    const Botan::BigInt bn(n.value().data(), n.value().size());
    const Botan::BigInt be(e.value().data(), e.value().size());
    if (bn.bits() < kMinRsaBits || bn.bits() > kMaxRsaBits) return size_error(bn.bits());
    if (bn.is_even()) return bad_key("RSA JWK modulus is even");
    if (be.is_even() || be <= 1) return bad_key("RSA JWK exponent must be odd and above 1");

    auto key = std::make_shared<const Botan::RSA_PublicKey>(bn, be);
    return make_jwk(std::move(key), "RSA", "", rsa_canonical(n.value(), e.value()));
}

/// Whether bytes is the encoding of a point on edwards25519 (RFC 8032 section 5.1.3): y below
/// p, and x^2 = (y^2 - 1) / (d y^2 + 1) solvable, with x = 0 only when the sign bit is clear.
/// Botan 2's Ed25519_PublicKey takes any 32 bytes and only fails later, at verification.
bool is_ed25519_point(const Bytes& bytes) {
    static const Botan::BigInt p = (Botan::BigInt(1) << 255) - 19;
    static const Botan::BigInt d =
        p - (Botan::BigInt(121665) * Botan::inverse_mod(Botan::BigInt(121666), p)) % p;
    Bytes big_endian(bytes.rbegin(), bytes.rend());
    const bool sign = (big_endian[0] & 0x80) != 0;
    big_endian[0] &= 0x7f;
    const Botan::BigInt y(big_endian.data(), big_endian.size());
    if (y >= p) return false;
    const Botan::BigInt y2 = (y * y) % p;
    const Botan::BigInt u = (y2 + p - 1) % p;
    const Botan::BigInt v = (d * y2 + 1) % p;
    if (u.is_zero()) return !sign;
    const Botan::BigInt x2 = (u * Botan::inverse_mod(v, p)) % p;
    return Botan::jacobi(x2, p) == 1;
}

JoseResult<Jwk> parse_okp(const json& object) {
    auto crv = string_member(object, "crv");
    if (!crv) return crv.error();
    if (crv.value() != "Ed25519") return bad_key("OKP JWK \"crv\" must be \"Ed25519\"");
    auto x = bytes_member(object, "x");
    if (!x) return x.error();
    if (x.value().size() != 32)
        return bad_key("Ed25519 JWK \"x\" must be exactly 32 bytes (RFC 8032 section 5.1.5)");
    if (!is_ed25519_point(x.value())) return bad_key("Ed25519 JWK \"x\" is not a curve point");
    auto key = std::make_shared<const Botan::Ed25519_PublicKey>(x.value());
    return make_jwk(std::move(key), "OKP", "Ed25519", okp_canonical(x.value()));
}

JoseResult<Jwk> parse_jwk_unchecked(const json& object) {
    if (!object.is_object()) return malformed("JWK must be a JSON object");
    for (const char* name : kPrivateMembers)
        if (object.contains(name))
            return bad_key(std::string("JWK has the private member \"") + name +
                           "\"; send the public key only");
    auto kty = string_member(object, "kty");
    if (!kty) return kty.error();
    if (kty.value() == "EC") return parse_ec(object);
    if (kty.value() == "RSA") return parse_rsa(object);
    if (kty.value() == "OKP") return parse_okp(object);
    return bad_key("JWK \"kty\" must be \"EC\", \"RSA\" or \"OKP\"");
}

}  // namespace

std::vector<uint8_t> Jwk::public_key_info() const { return key->subject_public_key(); }

JoseResult<Jwk> parse_jwk(const json& object) {
    // The checks above should leave Botan nothing to object to; these catch what they missed, so
    // hostile input still ends as a value and never as an exception out of the parser.
    try {
        return parse_jwk_unchecked(object);
    } catch (const Botan::Exception& e) {
        return bad_key(std::string("JWK is not a usable key: ") + e.what());
    } catch (const json::exception& e) {
        return malformed(std::string("JWK could not be read: ") + e.what());
    }
}

json jwk_of(const Botan::Public_Key& key) {
    if (const auto* ec = dynamic_cast<const Botan::ECDSA_PublicKey*>(&key)) {
        for (const auto& curve : kCurves) {
            if (ec->domain() != Botan::EC_Group(curve.botan_name)) continue;
            const auto& point = ec->public_point();
            const auto x = Botan::BigInt::encode_1363(point.get_affine_x(), curve.coordinate_bytes);
            const auto y = Botan::BigInt::encode_1363(point.get_affine_y(), curve.coordinate_bytes);
            return {{"kty", "EC"},
                    {"crv", curve.jwk_name},
                    {"x", base64url_encode(x.data(), x.size())},
                    {"y", base64url_encode(y.data(), y.size())}};
        }
        throw std::invalid_argument("jwk_of: ECDSA key on a curve other than P-256 or P-384");
    }
    if (const auto* rsa = dynamic_cast<const Botan::RSA_PublicKey*>(&key)) {
        return {{"kty", "RSA"},
                {"n", base64url_encode(Botan::BigInt::encode(rsa->get_n()))},
                {"e", base64url_encode(Botan::BigInt::encode(rsa->get_e()))}};
    }
    if (const auto* ed = dynamic_cast<const Botan::Ed25519_PublicKey*>(&key)) {
        return {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", base64url_encode(ed->get_public_key())}};
    }
    throw std::invalid_argument("jwk_of: unsupported key type " + key.algo_name());
}

}  // namespace rca::jose
