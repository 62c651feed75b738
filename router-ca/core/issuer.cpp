#include "core/issuer.hpp"

#include "core/certificate_signer.hpp"
#include "core/crl_signer.hpp"

namespace rca {

Issuer::Issuer(CaKey intermediate, Botan::X509_Certificate root, HomePolicy policy,
               std::vector<CaKey> earlier)
    : root_(std::move(root)), policy_(std::move(policy)) {
    intermediates_.push_back(std::move(intermediate));
    for (auto& e : earlier) intermediates_.push_back(std::move(e));
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
                                                size_t number, TimePoint now,
                                                Botan::RandomNumberGenerator& rng) const {
    std::optional<CaKey> signer;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& i : intermediates_)
            if (ca_key_id(i.cert) == intermediate_id) signer = i;
    }
    if (!signer) return std::nullopt;
    return sign_crl({number, now, now + kCrlLifetime, revoked}, signer->cert, *signer->key, rng);
}

void Issuer::rotate(CaKey next) {
    const std::lock_guard<std::mutex> lock(mutex_);
    intermediates_.insert(intermediates_.begin(), std::move(next));
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

std::string Issuer::chain_pem(const Botan::X509_Certificate& leaf) const {
    const auto certs = intermediates();
    for (const auto& c : certs)
        if (c.subject_key_id() == leaf.authority_key_id())
            return leaf.PEM_encode() + c.PEM_encode();
    // A leaf of an intermediate no longer held has expired with it; the current one is the best
    // guess and the verifier will say why the chain fails.
    return leaf.PEM_encode() + certs.front().PEM_encode();
}

}  // namespace rca
