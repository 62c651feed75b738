#include "admin/acme_admin_commands.hpp"

namespace rca {

using nlohmann::json;

bool is_acme_command(const std::string& name) { return name.rfind("acme-", 0) == 0; }

json acme_account_json(const acme::Account& a) {
    json j{{"id", a.id},
           {"status", to_string(a.status)},
           {"approval", to_string(a.approval)},
           {"approved", acme::approved(a.approval)},
           {"contact", a.contact},
           {"created_at", iso8601(a.created_at)},
           {"key_thumbprint", a.thumbprint},
           {"source", a.source}};
    if (a.approved_at) j["approved_at"] = iso8601(*a.approved_at);
    if (!a.eab_kid.empty()) j["eab_kid"] = a.eab_kid;
    return j;
}

Result<json> run_acme_command(const std::string& name, const json& cmd, AdminContext& c) {
    if (!c.acme) return fail(Errc::unavailable, "this daemon runs no ACME server");
    if (name == "acme-accounts") {
        json list = json::array();
        for (const auto& a : c.acme->accounts()) list.push_back(acme_account_json(a));
        return json{{"accounts", list}};
    }
    if (name == "acme-approve") {
        const auto result = c.acme->approve(string_arg(cmd, "id"));
        if (!result) return result.error();
        return json{{"account", acme_account_json(result.value())}};
    }
    if (name == "acme-eab-create") {
        const auto credential = c.acme->create_eab();
        return json{{"kid", credential.kid}, {"hmac_key", credential.hmac_key}};
    }
    if (name == "acme-release") {
        const auto result = c.acme->release(string_arg(cmd, "name"));
        if (!result) return result.error();
        return json{{"serials", result.value()}};
    }
    return fail(Errc::malformed, "unknown command '" + name + "'");
}

}  // namespace rca
