#pragma once
// The device's private key: made here, written only to the device's own directory, never sent
// anywhere (architecture brief, Trust model). One function per step so renewals reuse them.
#include <memory>
#include <optional>
#include <string>

#include <botan/pk_keys.h>
#include <botan/rng.h>

#include "denrol/errors.hpp"

namespace denrol {

/// The key types a device may ask for.
enum class KeyType {
    p256,     ///< ECDSA P-256: the default; every browser accepts it for a server certificate
    ed25519,  ///< small and fast, but browsers do not accept Ed25519 server certificates
    rsa2048,  ///< for peers that speak only RSA
};

/// Parses "p256", "ed25519" or "rsa2048".
std::optional<KeyType> parse_key_type(const std::string& text);

/// The name parse_key_type accepts.
const char* key_type_name(KeyType type);

/// Generates a fresh private key of `type`.
std::unique_ptr<Botan::Private_Key> make_key(KeyType type, Botan::RandomNumberGenerator& rng);

/// Unencrypted PKCS#8 PEM ("PRIVATE KEY"), the form OpenSSL and httplib load; protect the file
/// with mode 0600 instead of a passphrase, since an unattended device could not type one.
std::string private_key_pem(const Botan::Private_Key& key);

/// Loads a PKCS#8 PEM private key; Errc::local if it does not parse.
Result<std::shared_ptr<Botan::Private_Key>> load_private_key(const std::string& pem);

}  // namespace denrol
