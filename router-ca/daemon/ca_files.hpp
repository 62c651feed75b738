#pragma once
// The CA's certificates and keys on disk: created on first start, loaded afterwards. Keys are
// PKCS#8 PEM, mode 0600, written atomically; a key readable by others stops the start.
#include <botan/rng.h>

#include "core/ca_hierarchy.hpp"
#include "core/result.hpp"
#include "daemon/data_paths.hpp"

namespace rca {

/// Loads the CA from paths, or creates it for policy when the data directory has none yet.
/// Errors: a key file readable by group/others, a half-present CA, unreadable files, or a CA made
/// for other name constraints.
Result<CaHierarchy> load_or_create_ca(const DataPaths& paths, const HomePolicy& policy,
                                      Botan::RandomNumberGenerator& rng, TimePoint now,
                                      bool& created);

/// Refuses key files that group or others may read (they hold the CA's power).
std::optional<Error> check_key_permissions(const std::string& key_path);

/// Writes a private key as unencrypted PKCS#8 PEM, mode 0600, atomically.
void write_private_key(const std::string& path, const Botan::Private_Key& key);

/// Reads an unencrypted PKCS#8 PEM private key.
std::shared_ptr<Botan::Private_Key> read_private_key(const std::string& path);

}  // namespace rca
