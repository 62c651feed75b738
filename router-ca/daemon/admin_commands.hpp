#pragma once
// What the control socket understands: one JSON object per line with a "cmd", answered with one
// JSON object carrying "ok" and either the result or an "error" sentence. The commands themselves
// are admin/admin_operations.*, shared with the web UI's admin API.
#include <string>

#include "admin/admin_operations.hpp"

namespace rca {

/// Runs one command line (see run_admin_command) and returns the answer line.
std::string handle_admin_command(const std::string& line, AdminContext& context);

}  // namespace rca
