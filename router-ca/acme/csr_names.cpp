#include "acme/csr_names.hpp"

#include <botan/pkcs10.h>
#include <botan/pkix_types.h>

#include <set>

#include "common/ascii_lower.hpp"

namespace rca::acme {

AcmeResult<rca::Done> check_csr_names(const std::vector<uint8_t>& csr_der,
                                      const std::vector<std::string>& identifiers) {
    std::set<std::string> asked;
    try {
        const Botan::PKCS10_Request csr(csr_der);
        for (const auto& [type, value] : csr.subject_alt_name().contents()) {
            if (type != "DNS")
                return problem(ProblemType::bad_csr,
                               "the CSR asks for a " + type + " name (" + value +
                                   "); only the order's DNS names may appear in it");
            asked.insert(ascii_lower(value));
        }
        for (const auto& cn : csr.subject_dn().get_attribute("CN")) asked.insert(ascii_lower(cn));
    } catch (const std::exception& e) {
        return problem(ProblemType::bad_csr, std::string("the CSR cannot be parsed: ") + e.what());
    }
    const std::set<std::string> ordered(identifiers.begin(), identifiers.end());
    for (const auto& name : asked)
        if (!ordered.count(name))
            return problem(ProblemType::bad_csr,
                           "the CSR names " + name + ", which this order does not list");
    for (const auto& name : ordered)
        if (!asked.count(name))
            return problem(ProblemType::bad_csr, "the CSR does not name " + name +
                                                     ", which this order lists; it must name "
                                                     "exactly the order's identifiers");
    return rca::Done{};
}

}  // namespace rca::acme
