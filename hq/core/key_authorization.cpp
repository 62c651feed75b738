#include "hq/core/key_authorization.hpp"

#include <botan/hash.h>

#include "jose/base64url.hpp"

namespace hq {

std::string key_authorization(const std::string& token, const std::string& thumbprint) {
    return token + "." + thumbprint;
}

std::string dns01_txt_value(const std::string& token, const std::string& thumbprint) {
    const auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
    sha256->update(key_authorization(token, thumbprint));
    const auto digest = sha256->final();
    return rca::jose::base64url_encode(digest.data(), digest.size());
}

std::string dns01_owner(const std::string& name) { return "_acme-challenge." + name; }

}  // namespace hq
