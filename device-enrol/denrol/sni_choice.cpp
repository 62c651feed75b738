#include "denrol/sni_choice.hpp"

#include "common/ascii_lower.hpp"

namespace denrol {

ServedCertificate certificate_for_sni(const std::string& sni, const std::string& public_name) {
    const bool same = !public_name.empty() && rca::ascii_iequal(sni, public_name);
    return same ? ServedCertificate::public_alias : ServedCertificate::local;
}

}  // namespace denrol
