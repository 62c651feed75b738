#include "core/csr_policy.hpp"

#include <botan/data_src.h>
#include <botan/ecc_key.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pkcs10.h>

#include <functional>
#include <memory>

namespace rca {
namespace {

// What the validators look at, extracted once.
struct CsrFacts {
    const Botan::PKCS10_Request& request;
    const Botan::Public_Key& key;
};

using CsrRule = std::function<std::optional<Error>(const CsrFacts&)>;

std::optional<std::string> curve_name(const Botan::Public_Key& key) {
    const auto* ec = dynamic_cast<const Botan::EC_PublicKey*>(&key);
    if (!ec) return std::nullopt;
    const auto oid = ec->domain().get_curve_oid();
    if (oid == Botan::OID::from_string("secp256r1")) return std::string("p256");
    if (oid == Botan::OID::from_string("secp384r1")) return std::string("p384");
    return std::string("an unsupported curve (" + oid.to_formatted_string() + ")");
}

std::optional<Error> key_type_allowed(const CsrFacts& f) {
    const std::string algo = f.key.algo_name();
    if (algo == "Ed25519") return std::nullopt;
    if (algo == "ECDSA") {
        const auto curve = curve_name(f.key);
        if (curve == std::string("p256") || curve == std::string("p384")) return std::nullopt;
        return fail(Errc::bad_csr, "the CSR's ECDSA key uses " + curve.value_or("unknown curve") +
                                       "; use P-256, P-384, Ed25519 or RSA >= 2048 bits");
    }
    if (algo == "RSA") {
        const size_t bits = f.key.key_length();
        if (bits < kMinRsaBits)
            return fail(Errc::bad_csr, "the CSR's RSA key has " + std::to_string(bits) +
                                           " bits; at least 2048 are required");
        if (bits > kMaxRsaBits)
            return fail(Errc::bad_csr, "the CSR's RSA key has " + std::to_string(bits) +
                                           " bits; at most 8192 are accepted");
        return std::nullopt;
    }
    return fail(Errc::bad_csr, "the CSR's key algorithm " + algo +
                                   " is not accepted; use P-256, P-384, Ed25519 or RSA >= 2048");
}

const std::vector<CsrRule>& csr_rules() {
    static const std::vector<CsrRule> rules = {key_type_allowed};
    return rules;
}

std::string key_type_of(const Botan::Public_Key& key) {
    const std::string algo = key.algo_name();
    if (algo == "Ed25519") return "ed25519";
    if (algo == "RSA") return "rsa" + std::to_string(key.key_length());
    return *curve_name(key);
}

}  // namespace

bool is_rsa_key_type(const std::string& key_type) { return key_type.rfind("rsa", 0) == 0; }

Result<AcceptedCsr> accept_csr(const std::string& pem_or_der) {
    std::unique_ptr<Botan::PKCS10_Request> request;
    try {
        Botan::DataSource_Memory source(pem_or_der);
        request = std::make_unique<Botan::PKCS10_Request>(source);
    } catch (const std::exception& e) {
        // Botan checks proof of possession (RFC 2986 section 3: the CSR is signed with the key it
        // carries) while decoding, and says so in its message (botan/src/lib/x509/pkcs10.cpp).
        const std::string why = e.what();
        if (why.find("Bad signature") != std::string::npos)
            return fail(Errc::bad_csr,
                        "the CSR's signature does not verify with its own public key");
        return fail(Errc::malformed, "the CSR is not a PEM or DER PKCS#10 request: " + why);
    }
    std::unique_ptr<Botan::Public_Key> key;
    try {
        key.reset(request->subject_public_key());
    } catch (const std::exception& e) {
        // Botan refuses unknown curves and malformed keys while decoding them.
        return fail(Errc::bad_csr, std::string("the CSR's public key cannot be used: ") + e.what());
    }
    const CsrFacts facts{*request, *key};
    for (const auto& rule : csr_rules())
        if (auto error = rule(facts)) return *error;

    AcceptedCsr out;
    out.der = request->BER_encode();
    out.public_key_info = key->subject_public_key();
    out.key_type = key_type_of(*key);
    out.rsa_key = is_rsa_key_type(out.key_type);
    const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
    out.key_id = Botan::hex_encode(hash->process(out.public_key_info), false);
    return out;
}

}  // namespace rca
