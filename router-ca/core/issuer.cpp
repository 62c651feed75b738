#include "core/issuer.hpp"

#include <botan/ber_dec.h>
#include <botan/der_enc.h>
#include <botan/pem.h>
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

Issuer::Issuer(CaKey intermediate, Botan::X509_Certificate root, HomePolicy policy,
               std::vector<CaKey> earlier)
    : root_(std::move(root)), policy_(std::move(policy)) {
    intermediates_.push_back(std::move(intermediate));
    for (auto& e : earlier) intermediates_.push_back(std::move(e));
    for (const auto& i : intermediates_) intermediate_pems_.push_back(i.cert.PEM_encode());
}

Botan::X509_Certificate Issuer::issue_leaf(const LeafSubject& subject, const Botan::BigInt& serial,
                                           TimePoint now, Botan::RandomNumberGenerator& rng) const {
    const CaKey current = [this] {
        const std::lock_guard<std::mutex> lock(mutex_);
        return intermediates_.front();
    }();
    CertificateSpec spec;
    spec.subject.add_attribute("X520.CommonName", policy_.fqdn(subject.label));
    spec.public_key_info = subject.public_key_info;
    spec.serial = serial;
    spec.not_before = now - kLeafBackdate;
    spec.not_after = std::min(now + std::chrono::hours(24 * policy_.leaf_days),
                              to_time_point(current.cert.not_after()));
    spec.extensions = leaf_extensions(policy_, subject, current.cert);
    return sign_certificate(spec, current.cert.subject_dn(), *current.key, rng);
}

std::optional<Botan::X509_CRL> Issuer::make_crl(const std::string& intermediate_id,
                                                const std::vector<Revocation>& revoked,
                                                TimePoint now,
                                                Botan::RandomNumberGenerator& rng) const {
    std::optional<CaKey> signer;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& i : intermediates_)
            if (ca_key_id(i.cert) == intermediate_id) signer = i;
    }
    if (!signer) return std::nullopt;
    const Botan::X509_CA ca(signer->cert, *signer->key, "SHA-256", rng);
    const auto next_update = std::chrono::duration_cast<std::chrono::seconds>(kCrlLifetime);
    const auto empty = ca.new_crl(rng, now, next_update);
    if (revoked.empty()) return empty;
    std::vector<Botan::CRL_Entry> entries;
    entries.reserve(revoked.size());
    for (const auto& r : revoked) entries.push_back(crl_entry(r));
    return ca.update_crl(empty, entries, rng, now, next_update);
}

void Issuer::rotate(CaKey next) {
    std::string pem = next.cert.PEM_encode();
    const std::lock_guard<std::mutex> lock(mutex_);
    intermediates_.insert(intermediates_.begin(), std::move(next));
    intermediate_pems_.insert(intermediate_pems_.begin(), std::move(pem));
}

Botan::X509_Certificate Issuer::intermediate() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return intermediates_.front().cert;
}

std::vector<Botan::X509_Certificate> Issuer::intermediates() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Botan::X509_Certificate> certs;
    for (const auto& i : intermediates_) certs.push_back(i.cert);
    return certs;
}

template <typename AuthorityKeyId>
std::string Issuer::signer_pem_by(AuthorityKeyId authority_key_id) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    // A leaf of an intermediate no longer held has expired with it; the current one is the best
    // guess and the verifier will say why the chain fails. So with one intermediate held, that
    // one is the answer for every leaf, and the leaf's authorityKeyIdentifier is not needed.
    size_t signer = 0;
    if (intermediates_.size() > 1) {
        const std::vector<uint8_t> wanted = authority_key_id();
        for (size_t i = 0; i < intermediates_.size(); ++i)
            if (intermediates_[i].cert.subject_key_id() == wanted) {
                signer = i;
                break;
            }
    }
    return intermediate_pems_[signer];
}

std::string Issuer::chain_pem(const Botan::X509_Certificate& leaf) const {
    return leaf.PEM_encode() + signer_pem_by([&leaf] { return leaf.authority_key_id(); });
}

std::string Issuer::chain_pem(const Bytes& leaf_der) const {
    return Botan::PEM_Code::encode(leaf_der, "CERTIFICATE") + signer_pem(leaf_der);
}

std::string Issuer::signer_pem(const Bytes& leaf_der) const {
    return signer_pem_by(
        [&leaf_der] { return Botan::X509_Certificate(leaf_der).authority_key_id(); });
}

}  // namespace rca
