#include "daemon/admin_commands.hpp"

#include <nlohmann/json.hpp>

#include "core/certificate_signer.hpp"
#include "core/time_text.hpp"
#include "daemon/log.hpp"

namespace rca {
namespace {

using nlohmann::json;

Result<json> run_ca_key_command(const std::string& name, const json& cmd, CaKeys& keys,
                                AdminContext& context) {
    if (name == "root-forget") {
        const auto done = keys.forget_root();
        if (!done) return done.error();
        return json::object();
    }
    // intermediate-rotate
    const auto cert = keys.rotate(string_arg(cmd, "root_key"), context.clock.now());
    if (!cert) return cert.error();
    return json{{"id", ca_key_id(cert.value())},
                {"not_after", iso8601(to_time_point(cert.value().not_after()))}};
}

}  // namespace

std::string handle_admin_command(const std::string& line, AdminContext& context, CaKeys* keys) {
    const json cmd = json::parse(line, nullptr, false);
    if (cmd.is_discarded() || !cmd.is_object())
        return json{{"ok", false}, {"error", "not a JSON object"}}.dump();
    const std::string name = string_arg(cmd, "cmd");
    try {
        auto result = keys && (name == "root-forget" || name == "intermediate-rotate")
                          ? run_ca_key_command(name, cmd, *keys, context)
                          : run_admin_command(cmd, context);
        if (!result) return json{{"ok", false}, {"error", result.error().detail}}.dump();
        json body = std::move(result).value();
        body["ok"] = true;
        return body.dump();
    } catch (const std::exception& e) {
        // One command failing unexpectedly must not end the daemon: the control socket's thread
        // has nobody above it to catch (an approval racing an ACME validation once did).
        log_line("error: command " + name + " failed: " + e.what());
        return json{{"ok", false}, {"error", std::string("the command failed: ") + e.what()}}
            .dump();
    }
}

}  // namespace rca
