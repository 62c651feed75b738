#pragma once
// `router-ca acme accounts|approve|eab-create|release`: the admin's side of the ACME server.
#include "cli/cli_common.hpp"

namespace rca::cli {

/// Runs `router-ca acme SUB ...` (args.positional starts with SUB); returns the exit code.
int run_acme(const Args& args);

}  // namespace rca::cli
