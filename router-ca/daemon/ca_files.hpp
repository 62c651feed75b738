#pragma once
// The CA's certificates and keys on disk: created on first start, loaded afterwards. Keys are
// PKCS#8 PEM, mode 0600, written atomically; a key readable by others stops the start. The root
// key may be absent (moved offline by `router-ca root export`); intermediate keys may be
// encrypted at rest under a secret from a separate file (docs/ca-keys.md says what that protects).
#include <botan/rng.h>

#include "core/ca_hierarchy.hpp"
#include "core/result.hpp"
#include "files/data_paths.hpp"

namespace rca {

/// PBKDF2 rounds for intermediate keys encrypted at rest: the key is decrypted at every start on
/// a slow router CPU, and the secret is meant to be random (docs/ca-keys.md), so stretching adds
/// little; this still makes a guessed passphrase cost about as much as one hash of a password.
inline constexpr size_t kAtRestKeyIterations = 100000;
/// PBKDF2 rounds for the exported root key: OWASP's 2023 figure for PBKDF2-HMAC-SHA-256. The file
/// is meant to leave the house, and is decrypted only for the rare intermediate rotation.
inline constexpr size_t kExportKeyIterations = 600000;

/// Loads the CA from paths, or creates it for policy when the data directory has none yet.
/// Intermediate keys are written encrypted under `key_secret` when it is not empty (existing
/// plain ones are encrypted in place) and must then decrypt with it.
/// Errors: a key file readable by group/others, a half-present CA, unreadable files, an encrypted
/// key without the secret or with a wrong one, or a CA made for other name constraints.
Result<CaHierarchy> load_or_create_ca(const DataPaths& paths, const HomePolicy& policy,
                                      Botan::RandomNumberGenerator& rng, TimePoint now,
                                      bool& created, const std::string& key_secret = "");

/// Stores an intermediate made by rotation (key first, then certificate: the certificate's
/// appearance is what makes it count), encrypted under key_secret when that is not empty.
void save_rotated_intermediate(const DataPaths& paths, const CaKey& intermediate,
                               const std::string& key_secret, Botan::RandomNumberGenerator& rng);

/// The shortest intermediate key secret accepted: 16 characters, such as the output of
/// `head -c 12 /dev/urandom | base64`, are beyond guessing even at a few PBKDF2 rounds.
inline constexpr size_t kMinKeySecretLength = 16;

/// Reads the intermediate key secret: the first line of `path`, which must be mode 0600 or
/// stricter and hold at least kMinKeySecretLength characters.
Result<std::string> read_key_secret(const std::string& path);

/// Refuses key files (or, naming `what`, other secrets) that group or others may read: they hold
/// the CA's power.
std::optional<Error> check_key_permissions(const std::string& key_path,
                                           const std::string& what = "private key");

/// Writes a private key as unencrypted PKCS#8 PEM, mode 0600, atomically.
void write_private_key(const std::string& path, const Botan::Private_Key& key);

/// Reads an unencrypted PKCS#8 PEM private key.
std::shared_ptr<Botan::Private_Key> read_private_key(const std::string& path);

/// A private key as encrypted PKCS#8 PEM: PBES2 (RFC 8018 6.2) with PBKDF2-HMAC-SHA-256 over
/// `iterations` rounds and AES-256-CBC, which OpenSSL reads (`openssl pkey -passin`).
std::string encrypted_key_pem(const Botan::Private_Key& key, const std::string& passphrase,
                              size_t iterations, Botan::RandomNumberGenerator& rng);

/// Parses a PKCS#8 PEM private key, encrypted or not. `passphrase` decrypts an encrypted one.
/// Errors name `what`: an encrypted key without a passphrase, a wrong passphrase, not a key.
Result<std::shared_ptr<Botan::Private_Key>> parse_private_key(const std::string& pem,
                                                              const std::string& passphrase,
                                                              const std::string& what);

/// True when the PEM text is an encrypted PKCS#8 key (RFC 7468 section 11 label).
bool is_encrypted_key_pem(const std::string& pem);

}  // namespace rca
