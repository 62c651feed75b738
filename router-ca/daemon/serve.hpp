#pragma once
#include "daemon/serve_config.hpp"

namespace rca {

/// Exit codes of `router-ca serve`, one per init step, so scripts and procd logs tell them apart.
enum ServeExit : int {
    kExitOk = 0,
    kExitUsage = 2,
    kExitStore = 3,
    kExitCa = 4,
    kExitRouterCertificate = 5,
    kExitHttps = 6,
    kExitControlSocket = 7,
    kExitDns = 8,
    kExitHq = 9,
};

/// Runs the daemon until SIGTERM or SIGINT; returns a ServeExit code.
int run_serve(const ServeConfig& config);

}  // namespace rca
