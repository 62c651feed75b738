#include "core/certificate_signer.hpp"

#include <botan/ber_dec.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pubkey.h>
#include <botan/x509_ca.h>

#include <memory>
#include <stdexcept>

#include "common/x509_time.hpp"

namespace rca {

Botan::X509_Certificate sign_certificate(const CertificateSpec& spec,
                                         const Botan::X509_DN& issuer_dn,
                                         const Botan::Private_Key& issuer_key,
                                         Botan::RandomNumberGenerator& rng) {
    Botan::AlgorithmIdentifier sig_algo;
    const std::unique_ptr<Botan::PK_Signer> signer(
        Botan::choose_sig_format(issuer_key, rng, "SHA-256", sig_algo));
    return Botan::X509_CA::make_cert(signer.get(), rng, spec.serial, sig_algo, spec.public_key_info,
                                     to_x509_time(spec.not_before), to_x509_time(spec.not_after),
                                     issuer_dn, spec.subject, spec.extensions);
}

Botan::BigInt random_serial(Botan::RandomNumberGenerator& rng) {
    std::vector<uint8_t> bytes(16);
    do {
        rng.randomize(bytes.data(), bytes.size());
        bytes[0] &= 0x7f;
    } while (Botan::BigInt(bytes.data(), bytes.size()).is_zero());
    return Botan::BigInt(bytes.data(), bytes.size());
}

Botan::BigInt unused_serial(Botan::RandomNumberGenerator& rng,
                            const std::function<bool(const std::string&)>& taken) {
    constexpr int kAttempts = 8;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        auto serial = random_serial(rng);
        if (!taken(serial_hex(serial))) return serial;
    }
    throw std::runtime_error("no unused certificate serial after 8 random draws: broken RNG?");
}

std::string serial_hex(const Botan::BigInt& serial) {
    return Botan::hex_encode(Botan::BigInt::encode(serial), false);
}

std::string serial_hex(const Botan::X509_Certificate& cert) {
    const auto& bytes = cert.serial_number();
    return serial_hex(Botan::BigInt(bytes.data(), bytes.size()));
}

std::string sha256_fingerprint(const Botan::X509_Certificate& cert) {
    const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
    return Botan::hex_encode(hash->process(cert.BER_encode()), false);
}

std::vector<uint8_t> key_identifier(const std::vector<uint8_t>& public_key_info) {
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT
    // STRING }
    Botan::AlgorithmIdentifier algorithm;
    std::vector<uint8_t> key_bits;
    Botan::BER_Decoder(public_key_info)
        .start_cons(Botan::SEQUENCE)
        .decode(algorithm)
        .decode(key_bits, Botan::BIT_STRING)
        .end_cons();
    const auto hash = Botan::HashFunction::create_or_throw("SHA-1");
    const auto digest = hash->process(key_bits);
    return std::vector<uint8_t>(digest.begin(), digest.end());
}

TimePoint to_time_point(const Botan::X509_Time& t) { return from_x509_time(t); }

}  // namespace rca
