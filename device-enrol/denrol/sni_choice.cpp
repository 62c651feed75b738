#include "denrol/sni_choice.hpp"

#include <algorithm>

namespace denrol {
namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

ServedCertificate certificate_for_sni(const std::string& sni, const std::string& public_name) {
    const bool same = !public_name.empty() && sni.size() == public_name.size() &&
                      std::equal(sni.begin(), sni.end(), public_name.begin(),
                                 [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
    return same ? ServedCertificate::public_alias : ServedCertificate::local;
}

}  // namespace denrol
