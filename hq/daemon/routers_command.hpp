#pragma once
// `hq routers import FILE` and `hq routers revoke ID` (docs/hq.md, "Router credentials"): the
// operator's side of router credentials, on the same store `hq serve` uses (--data-dir, --db).
// They may run while `hq serve` does: every change is one transaction.
#include <string>
#include <vector>

namespace hq {

/// Runs `hq routers ARGS...` (ARGS after "routers"); returns an HqExit code.
int run_routers_command(const std::vector<std::string>& args);

/// The usage text of `hq routers`.
std::string routers_usage();

}  // namespace hq
