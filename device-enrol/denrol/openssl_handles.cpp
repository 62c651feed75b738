#include "denrol/openssl_handles.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace denrol {
namespace {

BioPtr memory_bio(const std::string& text) {
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

template <class Write>
std::string to_pem(Write write) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1) return "";
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
}

}  // namespace

std::vector<X509Ptr> read_pem_certs(const std::string& pem) {
    std::vector<X509Ptr> certs;
    const BioPtr bio = memory_bio(pem);
    while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) certs.emplace_back(x);
    ERR_clear_error();  // the loop ends on a "no start line" error, which is expected
    return certs;
}

std::vector<X509CrlPtr> read_pem_crls(const std::string& pem) {
    std::vector<X509CrlPtr> crls;
    const BioPtr bio = memory_bio(pem);
    while (X509_CRL* c = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr))
        crls.emplace_back(c);
    ERR_clear_error();
    return crls;
}

PkeyPtr read_pem_key(const std::string& pem) {
    const BioPtr bio = memory_bio(pem);
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    return key;
}

std::string pem_of(X509* cert) {
    return to_pem([cert](BIO* b) { return PEM_write_bio_X509(b, cert); });
}

std::string pem_of(X509_CRL* crl) {
    return to_pem([crl](BIO* b) { return PEM_write_bio_X509_CRL(b, crl); });
}

}  // namespace denrol
