#include "denrol/public_certificate.hpp"

#include <algorithm>

#include <botan/hash.h>
#include <botan/pkix_types.h>

namespace denrol {

KeyType public_key_type(KeyType device_key_type) {
    return device_key_type == KeyType::ed25519 ? KeyType::p256 : device_key_type;
}

Result<CheckedPublicIssue> check_public_issue(const std::string& chain_pem,
                                              const Botan::Public_Key& key,
                                              const std::string& name) {
    auto chain = parse_pem_chain(chain_pem, "the public chain");
    if (!chain) return chain.error();
    const auto& certs = chain.value();
    const Botan::X509_Certificate& leaf = certs.front();
    // Re-encoded by Botan on both sides, as check_issued does for the local certificate.
    if (leaf.load_subject_public_key()->subject_public_key() != key.subject_public_key())
        return fail(Errc::protocol,
                    "the public certificate is not for this device's key (or its chain does not "
                    "start with the leaf)");
    const auto names = leaf.subject_alt_name().get_attribute("DNS");
    if (std::find(names.begin(), names.end(), name) == names.end())
        return fail(Errc::protocol, "the public certificate does not name " + name);
    for (size_t i = 0; i + 1 < certs.size(); ++i) {
        const auto issuer_key = certs[i + 1].load_subject_public_key();
        if (!certs[i].check_signature(*issuer_key))
            return fail(Errc::protocol, "the public chain is out of order: certificate " +
                                            std::to_string(i + 1) + " is not signed by the next");
    }
    return CheckedPublicIssue{leaf.PEM_encode(), chain_pem};
}

std::uint64_t renewal_draw(const Botan::X509_Certificate& cert) {
    const auto digest = Botan::HashFunction::create_or_throw("SHA-256")->process(cert.BER_encode());
    std::uint64_t draw = 0;
    for (int i = 0; i < 8; ++i) draw = (draw << 8) | digest[i];
    return draw;
}

Result<std::optional<InstalledPublic>> read_installed_public(const EnrolmentDir& dir) {
    if (!dir.has(EnrolmentDir::kPublicCert)) return std::optional<InstalledPublic>{};
    auto text = dir.read(EnrolmentDir::kPublicCert);
    if (!text) return text.error();
    auto certs = parse_pem_chain(text.value(), dir.file(EnrolmentDir::kPublicCert));
    if (!certs) return fail(Errc::local, certs.error().detail);
    const Botan::X509_Certificate& leaf = certs.value().front();
    const auto names = leaf.subject_alt_name().get_attribute("DNS");
    InstalledPublic installed{names.empty() ? std::string() : names.front(), facts_of(leaf), {}};
    installed.renew_at = stable_renewal_moment(installed.facts.validity, renewal_draw(leaf));
    return std::optional<InstalledPublic>{std::move(installed)};
}

}  // namespace denrol
