#include "core/issuer.hpp"

#include <botan/ber_dec.h>
#include <botan/der_enc.h>
#include <botan/x509_ca.h>

#include "core/certificate_signer.hpp"

namespace rca {
namespace {

// RevokedCertificate ::= SEQUENCE { userCertificate CertificateSerialNumber, revocationDate Time }
// (RFC 5280 5.1). Built here because Botan's CRL_Entry constructor stamps the current time, and
// the CRL must carry the time the revocation really happened, every time it is re-signed.
Botan::CRL_Entry crl_entry(const Revocation& revocation) {
    std::vector<uint8_t> der;
    Botan::DER_Encoder(der)
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::BigInt("0x" + revocation.serial_hex))
        .encode(Botan::X509_Time(revocation.revoked_at))
        .end_cons();
    Botan::CRL_Entry entry;
    Botan::BER_Decoder(der).decode(entry);
    return entry;
}

}  // namespace

Issuer::Issuer(CaKey intermediate, Botan::X509_Certificate root, HomePolicy policy)
    : intermediate_(std::move(intermediate)), root_(std::move(root)), policy_(std::move(policy)) {}

Botan::X509_Certificate Issuer::issue_leaf(const LeafSubject& subject, const Botan::BigInt& serial,
                                           TimePoint now, Botan::RandomNumberGenerator& rng) const {
    CertificateSpec spec;
    spec.subject.add_attribute("X520.CommonName", policy_.fqdn(subject.label));
    spec.public_key_info = subject.public_key_info;
    spec.serial = serial;
    spec.not_before = now - kLeafBackdate;
    spec.not_after = std::min(now + std::chrono::hours(24 * policy_.leaf_days),
                              to_time_point(intermediate_.cert.not_after()));
    spec.extensions = leaf_extensions(policy_, subject, intermediate_.cert);
    return sign_certificate(spec, intermediate_.cert.subject_dn(), *intermediate_.key, rng);
}

Botan::X509_CRL Issuer::make_crl(const std::vector<Revocation>& revoked, TimePoint now,
                                 Botan::RandomNumberGenerator& rng) const {
    const Botan::X509_CA ca(intermediate_.cert, *intermediate_.key, "SHA-256", rng);
    const auto next_update = std::chrono::duration_cast<std::chrono::seconds>(kCrlLifetime);
    const auto empty = ca.new_crl(rng, now, next_update);
    if (revoked.empty()) return empty;
    std::vector<Botan::CRL_Entry> entries;
    entries.reserve(revoked.size());
    for (const auto& r : revoked) entries.push_back(crl_entry(r));
    return ca.update_crl(empty, entries, rng, now, next_update);
}

std::string Issuer::chain_pem(const Botan::X509_Certificate& leaf) const {
    return leaf.PEM_encode() + intermediate_.cert.PEM_encode();
}

}  // namespace rca
