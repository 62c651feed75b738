#include "denrol/csr_maker.hpp"

#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pkcs10.h>
#include <botan/x509_ext.h>

#include "wire/fingerprint_text.hpp"

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

std::string short_key_fingerprint(const Botan::Public_Key& key) {
    const auto digest =
        Botan::HashFunction::create_or_throw("SHA-256")->process(key.subject_public_key());
    return rca::wire::short_key_fingerprint(Botan::hex_encode(digest, false));
}

}  // namespace denrol
