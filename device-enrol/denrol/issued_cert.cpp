#include "denrol/issued_cert.hpp"

#include <botan/certstor.h>
#include <botan/data_src.h>
#include <botan/hex.h>
#include <botan/x509path.h>

namespace denrol {
namespace {

constexpr const char* kBegin = "-----BEGIN CERTIFICATE-----";
constexpr const char* kEnd = "-----END CERTIFICATE-----";

}  // namespace

CertFacts facts_of(const Botan::X509_Certificate& cert) {
    return CertFacts{
        Botan::hex_encode(cert.serial_number(), /*uppercase=*/false),
        Validity{cert.not_before().to_std_timepoint(), cert.not_after().to_std_timepoint()}};
}

Result<std::vector<Botan::X509_Certificate>> parse_pem_chain(const std::string& pem,
                                                             const std::string& what) {
    std::vector<Botan::X509_Certificate> certs;
    size_t pos = 0;
    // Split on the armour ourselves: Botan's DataSource reader cannot tell "no more
    // certificates" from "trailing garbage".
    while ((pos = pem.find(kBegin, pos)) != std::string::npos) {
        const size_t end = pem.find(kEnd, pos);
        if (end == std::string::npos)
            return fail(Errc::protocol, what + " has an unterminated certificate block");
        const size_t stop = end + std::char_traits<char>::length(kEnd);
        try {
            Botan::DataSource_Memory src(pem.substr(pos, stop - pos));
            certs.emplace_back(src);
        } catch (const std::exception& e) {
            return fail(Errc::protocol,
                        what + " holds a certificate that does not parse: " + e.what());
        }
        pos = stop;
    }
    if (certs.empty()) return fail(Errc::protocol, what + " holds no PEM certificate");
    return certs;
}

Result<CheckedIssue> check_issued(const std::string& cert_pem, const std::string& chain_pem,
                                  const Botan::X509_Certificate& root, const Botan::Public_Key& key,
                                  const std::string& fqdn) {
    auto leaf = parse_pem_chain(cert_pem, "the issued certificate");
    if (!leaf) return leaf.error();
    const std::string& chain_source = chain_pem.empty() ? cert_pem : chain_pem;
    auto chain = parse_pem_chain(chain_source, "the issued chain");
    if (!chain) return chain.error();
    const Botan::X509_Certificate& cert = leaf.value().front();

    // Compare keys after Botan re-encodes both, so point compression or parameter encoding
    // cannot make equal keys look different.
    if (cert.load_subject_public_key()->subject_public_key() != key.subject_public_key())
        return fail(Errc::protocol, "the router issued a certificate for a different key");

    std::vector<Botan::X509_Certificate> path = chain.value();
    std::string chain_text = chain_source;
    if (!(path.front() == cert)) {
        path.insert(path.begin(), cert);
        chain_text = cert.PEM_encode() + chain_source;
    }

    Botan::Certificate_Store_In_Memory anchors(root);
    const Botan::Path_Validation_Restrictions restrictions;
    // Validate at the leaf's own start time, not at the device's clock: a device without a
    // battery-backed clock may believe it is 1970, and this check is about the chain and the
    // root's name constraints, not about the time (the certificate was issued seconds ago).
    const auto when = cert.not_before().to_std_timepoint() + std::chrono::seconds(1);
    const auto result = Botan::x509_path_validate(path, restrictions, anchors, fqdn,
                                                  Botan::Usage_Type::UNSPECIFIED, when);
    if (!result.successful_validation())
        return fail(Errc::protocol, "the issued certificate does not chain to the router's root" +
                                        std::string(fqdn.empty() ? "" : " for " + fqdn) + ": " +
                                        result.result_string());

    return CheckedIssue{facts_of(cert), cert.PEM_encode(), chain_text};
}

}  // namespace denrol
