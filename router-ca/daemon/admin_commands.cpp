#include "daemon/admin_commands.hpp"

#include <nlohmann/json.hpp>

namespace rca {

std::string handle_admin_command(const std::string& line, AdminContext& context) {
    using nlohmann::json;
    const json cmd = json::parse(line, nullptr, false);
    if (cmd.is_discarded() || !cmd.is_object())
        return json{{"ok", false}, {"error", "not a JSON object"}}.dump();
    auto result = run_admin_command(cmd, context);
    if (!result) return json{{"ok", false}, {"error", result.error().detail}}.dump();
    json body = std::move(result).value();
    body["ok"] = true;
    return body.dump();
}

}  // namespace rca
