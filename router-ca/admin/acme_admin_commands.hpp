#pragma once
// The admin's ACME commands, for `router-ca acme ...` and the web UI: acme-accounts,
// acme-approve {id}, acme-eab-create, acme-release {name}.
#include <nlohmann/json.hpp>
#include <string>

#include "admin/admin_operations.hpp"

namespace rca {

/// True for the names run_acme_command handles.
bool is_acme_command(const std::string& name);

/// Runs one ACME command; unavailable when the daemon runs no ACME server.
Result<nlohmann::json> run_acme_command(const std::string& name, const nlohmann::json& command,
                                        AdminContext& context);

/// An account as the CLI and the web UI list it.
nlohmann::json acme_account_json(const acme::Account& account);

}  // namespace rca
