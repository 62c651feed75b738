#include "hq/core/home_csr.hpp"

#include <botan/pem.h>
#include <botan/pk_keys.h>
#include <botan/pkcs10.h>
#include <botan/pkix_types.h>

#include <memory>

#include "acme/csr_names.hpp"
#include "common/ascii_lower.hpp"
#include "hq/core/input_rules.hpp"

namespace hq {
namespace {

HqError bad(std::string detail) { return HqError{HqErrc::bad_request, std::move(detail)}; }

}  // namespace

HqResult<Bytes> csr_der_from_pem(const std::string& pem) {
    try {
        const auto der = Botan::PEM_Code::decode_check_label(pem, "CERTIFICATE REQUEST");
        return Bytes(der.begin(), der.end());
    } catch (const std::exception& e) {
        return bad(std::string("csr is not a PEM CERTIFICATE REQUEST: ") + e.what());
    }
}

HqResult<std::string> check_home_csr(const Bytes& csr_der, const std::string& home_zone) {
    std::string name;
    try {
        const Botan::PKCS10_Request csr(csr_der);
        // Botan 2 hands over ownership of the key it returns.
        const std::unique_ptr<Botan::Public_Key> key(csr.subject_public_key());
        if (!csr.check_signature(*key)) return bad("the CSR's self-signature does not verify");
        // The candidate: the first dNSName. check_csr_names below then refuses any other name,
        // of any type, anywhere in the CSR (a commonName included).
        for (const auto& [type, value] : csr.subject_alt_name().contents()) {
            if (type == "DNS") {
                name = value;
                break;
            }
        }
    } catch (const std::exception& e) {
        return bad(std::string("the CSR cannot be parsed: ") + e.what());
    }
    // Public CAs take names from the subjectAltName only (CA/Browser Forum Baseline Requirements
    // 7.1.2.7.12; Pebble and Let's Encrypt refuse a CSR whose name is only its commonName).
    if (name.empty())
        return bad("the CSR has no subjectAltName dNSName; it must name <label>." + home_zone +
                   " there (a commonName alone is not enough for a public CA)");
    name = rca::ascii_lower(name);
    const std::string suffix = "." + home_zone;
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return bad("the CSR names " + name + ", which is not under this home's zone " + home_zone);
    const std::string label = name.substr(0, name.size() - suffix.size());
    if (auto ok = check_label(label, "the CSR's label"); !ok) return ok.error();
    if (auto exact = rca::acme::check_csr_names(csr_der, {name}); !exact)
        return bad(exact.error().detail);
    return name;
}

}  // namespace hq
