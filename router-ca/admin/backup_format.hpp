#pragma once
// The encrypted backup file: the data directory's tar, sealed with AES-256/GCM under a key
// derived from the admin's passphrase with Argon2id. Pure: the salt and nonce come from the rng
// parameter. The layout (all integers big-endian) is documented in docs/admin-api.md:
//
//   offset  size  field
//        0     8  magic "RCABAK01" (router-ca backup, format 1)
//        8     4  Argon2id memory in KiB
//       12     4  Argon2id iterations
//       16     4  Argon2id parallelism
//       20    16  salt
//       36    12  GCM nonce
//       48     n  ciphertext, then the 16-byte GCM tag; the 48 header bytes are the GCM AAD,
//                 so that no header field can be changed unnoticed
#include <botan/rng.h>

#include <string>

#include "admin/password_hash.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace rca::admin {

/// The shortest backup passphrase accepted: the file may leave the house, so it is held to the
/// same minimum as the admin password.
inline constexpr size_t kMinPassphraseLength = kMinPasswordLength;

/// `plain` encrypted under `passphrase` in the format above.
Bytes seal_backup(const Bytes& plain, const std::string& passphrase,
                  Botan::RandomNumberGenerator& rng, Argon2Cost cost = {});

/// The plaintext of a sealed backup; malformed for a file in another format or with absurd
/// cost parameters, unauthorized for a wrong passphrase or a changed file.
Result<Bytes> open_backup(const Bytes& sealed, const std::string& passphrase);

}  // namespace rca::admin
