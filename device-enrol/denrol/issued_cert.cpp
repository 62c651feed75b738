#include "denrol/issued_cert.hpp"

#include <botan/data_src.h>
#include <botan/hex.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <optional>

#include "common/x509_time.hpp"
#include "denrol/openssl_handles.hpp"

namespace denrol {
namespace {

constexpr const char* kBegin = "-----BEGIN CERTIFICATE-----";
constexpr const char* kEnd = "-----END CERTIFICATE-----";

// Why the chain in `chain_pem` (leaf first) does not lead to `root_pem` for `fqdn` at `when`, or
// nullopt when it does. OpenSSL, not Botan: Botan 2 cannot parse the IPv6 subtrees of the root's
// NameConstraints, reads the critical extension as an unknown one and refuses every chain, while
// OpenSSL applies every name form the root constrains (as the device's TLS handshakes do).
std::optional<std::string> chain_problem(const std::string& chain_pem, const std::string& root_pem,
                                         const std::string& fqdn,
                                         std::chrono::system_clock::time_point when) {
    auto certs = read_pem_certs(chain_pem);
    const auto roots = read_pem_certs(root_pem);
    if (certs.empty() || roots.empty()) return "OpenSSL cannot read the certificates";
    X509StorePtr store(X509_STORE_new());
    X509StackPtr untrusted(sk_X509_new_null());
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!store || !untrusted || !ctx || X509_STORE_add_cert(store.get(), roots.front().get()) != 1)
        return "out of memory";
    for (size_t i = 1; i < certs.size(); ++i) {
        X509_up_ref(certs[i].get());
        sk_X509_push(untrusted.get(), certs[i].get());
    }
    if (X509_STORE_CTX_init(ctx.get(), store.get(), certs.front().get(), untrusted.get()) != 1)
        return "out of memory";
    X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(when));
    if (!fqdn.empty())
        X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx.get()), fqdn.c_str(),
                                    fqdn.size());
    const bool ok = X509_verify_cert(ctx.get()) == 1;
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    if (ok) return std::nullopt;
    return std::string(X509_verify_cert_error_string(error));
}

}  // namespace

CertFacts facts_of(const Botan::X509_Certificate& cert) {
    return CertFacts{
        Botan::hex_encode(cert.serial_number(), /*uppercase=*/false),
        Validity{rca::from_x509_time(cert.not_before()), rca::from_x509_time(cert.not_after())}};
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

    std::string chain_text = chain_source;
    if (!(chain.value().front() == cert)) chain_text = cert.PEM_encode() + chain_source;

    // Validate at the leaf's own start time, not at the device's clock: a device without a
    // battery-backed clock may believe it is 1970, and this check is about the chain and the
    // root's name constraints, not about the time (the certificate was issued seconds ago).
    const auto when = rca::from_x509_time(cert.not_before()) + std::chrono::seconds(1);
    if (const auto problem = chain_problem(chain_text, root.PEM_encode(), fqdn, when))
        return fail(Errc::protocol, "the issued certificate does not chain to the router's root" +
                                        std::string(fqdn.empty() ? "" : " for " + fqdn) + ": " +
                                        *problem);

    return CheckedIssue{facts_of(cert), cert.PEM_encode(), chain_text};
}

}  // namespace denrol
