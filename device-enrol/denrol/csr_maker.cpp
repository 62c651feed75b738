#include "denrol/csr_maker.hpp"

#include <botan/pkcs10.h>
#include <botan/x509_ext.h>

namespace denrol {

std::string make_csr_pem(const Botan::Private_Key& key, const std::string& common_name,
                         Botan::RandomNumberGenerator& rng, const std::string& san_dns_name) {
    Botan::X509_DN subject;
    subject.add_attribute("X520.CommonName", common_name);
    // PKCS10_Request::create rather than X509::create_cert_req: the latter always adds empty
    // EKU and SAN extensions, which are malformed (RFC 5280 4.2.1.6 wants at least one name).
    Botan::Extensions extensions;
    if (!san_dns_name.empty())
        // Extensions::add takes ownership of the raw pointer.
        extensions.add(new Botan::Cert_Extension::Subject_Alternative_Name(
            Botan::AlternativeName("", "", san_dns_name)));
    const std::string hash = key.algo_name() == "Ed25519" ? "Pure" : "SHA-256";
    return Botan::PKCS10_Request::create(key, subject, extensions, hash, rng).PEM_encode();
}

}  // namespace denrol
