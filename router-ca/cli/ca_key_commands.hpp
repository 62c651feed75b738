#pragma once
// `router-ca root export` and `router-ca intermediate rotate`: moving the root key offline and
// bringing it back to issue a new intermediate (docs/ca-keys.md).
#include "cli/cli_common.hpp"

namespace rca::cli {

/// Runs `router-ca root export --out FILE [--passphrase-file P]`; returns the exit code.
int run_root(const Args& args);

/// Runs `router-ca intermediate rotate [--root-key FILE [--passphrase-file P]]`.
int run_intermediate(const Args& args);

}  // namespace rca::cli
