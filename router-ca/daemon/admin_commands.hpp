#pragma once
// What the control socket understands: one JSON object per line with a "cmd", answered with one
// JSON object carrying "ok" and either the result or an "error" sentence. The commands themselves
// are admin/admin_operations.*, shared with the web UI's admin API, plus the CA key commands,
// which only the router's own admin (root, on the router) may give: root-forget and
// intermediate-rotate {root_key}.
#include <string>

#include "admin/admin_operations.hpp"
#include "daemon/ca_keys.hpp"

namespace rca {

/// Runs one command line (see run_admin_command, and the CA key commands on `keys` when given)
/// and returns the answer line. `status` carries the key state from `keys` too.
std::string handle_admin_command(const std::string& line, AdminContext& context,
                                 CaKeys* keys = nullptr);

}  // namespace rca
