#pragma once
// The PKCS#10 request a device sends. The router builds every extension of the leaf itself and
// ignores names in the CSR (architecture brief, Trust model), so the request carries only a
// subject CN and the proof of possession of the key. A public certificate's request, relayed to
// HQ, names its one name in a SAN as well.
#include <string>

#include <botan/pk_keys.h>
#include <botan/rng.h>

namespace denrol {

/// A PEM CSR for `key` with subject CN=`common_name`, signed with the key's natural scheme
/// (ECDSA/SHA-256, Ed25519, RSA PKCS#1 v1.5/SHA-256). With `san_dns_name`, it also asks for that
/// name as its one dNSName SAN: what a public CA reads (CA/Browser Forum BR 7.1.2.7.12; Pebble
/// refuses a CSR whose name is only in the CN).
std::string make_csr_pem(const Botan::Private_Key& key, const std::string& common_name,
                         Botan::RandomNumberGenerator& rng, const std::string& san_dns_name = "");

/// The key's short fingerprint, "AB:12:CD:34 EF:56:78:90": the first 8 octets of the SHA-256 of
/// its DER SubjectPublicKeyInfo, as the router shows it beside the request
/// (wire/fingerprint_text.hpp), so that an admin approving by hand picks the right request.
std::string short_key_fingerprint(const Botan::Public_Key& key);

}  // namespace denrol
