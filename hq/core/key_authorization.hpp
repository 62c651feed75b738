#pragma once
// The DNS-01 challenge's record (RFC 8555 §8.1 and §8.4): the key authorization binds the CA's
// token to the account key, and the TXT record carries its SHA-256 digest.
#include <string>

namespace hq {

/// token || '.' || base64url(JWK thumbprint of the account key) (RFC 8555 §8.1).
std::string key_authorization(const std::string& token, const std::string& thumbprint);

/// base64url(SHA-256(key_authorization(token, thumbprint))), the TXT value (RFC 8555 §8.4).
std::string dns01_txt_value(const std::string& token, const std::string& thumbprint);

/// "_acme-challenge.<name>", the TXT record's owner (RFC 8555 §8.4).
std::string dns01_owner(const std::string& name);

}  // namespace hq
