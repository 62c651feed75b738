#pragma once
// `hq serve`: ordered start-up steps with distinct exit codes (house style #8), then the API
// served until SIGTERM or SIGINT.
#include "hq/daemon/hq_config.hpp"

namespace hq {

/// Exit codes of `hq serve`, one per start-up step that can fail.
enum HqExit {
    kHqExitOk = 0,
    kHqExitUsage = 2,
    kHqExitStore = 3,       ///< the data folder or database cannot be opened
    kHqExitAccountKey = 4,  ///< the ACME account key cannot be read or made, or is not the
                            ///< one the other instances on a shared database use
    kHqExitDns = 5,         ///< the DNS port cannot be bound
    kHqExitHttp = 6,        ///< the API port cannot be bound, or its TLS files are bad
    kHqExitInput = 7,       ///< `hq routers`: a malformed or conflicting list, an unknown router
};

/// Runs the service until SIGTERM/SIGINT; returns an HqExit code.
int run_hq_serve(const HqConfig& config);

}  // namespace hq
