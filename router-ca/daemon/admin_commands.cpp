#include "daemon/admin_commands.hpp"

#include <botan/x509cert.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "core/certificate_signer.hpp"

namespace rca {
namespace {

using nlohmann::json;

std::string iso8601(TimePoint t) {
    const std::time_t s = Clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

json ok(json body) {
    body["ok"] = true;
    return body;
}

json error(const std::string& message) { return json{{"ok", false}, {"error", message}}; }

json error(const Error& e) { return error(e.detail); }

json pairing_json(const PairingSnapshot& p, TimePoint now) {
    json j = {
        {"open", p.open}, {"outcome", to_string(p.outcome)}, {"requests", p.outcome_requests}};
    if (p.open)
        j["closes_in_seconds"] =
            std::chrono::duration_cast<std::chrono::seconds>(p.closes_at - now).count();
    return j;
}

json device_json(const Device& d, Store& store, const HomePolicy& policy) {
    json j = {{"name", d.name},
              {"fqdn", policy.fqdn(d.name)},
              {"ipv4", d.ipv4 ? d.ipv4->to_string() : ""},
              {"key_type", d.key_type},
              {"source", to_string(d.source)},
              {"created_at", iso8601(d.created_at)},
              {"revoked", d.revoked_at.has_value()}};
    const auto certs = store.certificates_of(d.id);
    if (!certs.empty()) {
        j["serial"] = certs.front().serial_hex;
        j["not_after"] = iso8601(certs.front().not_after);
        j["last_issued_at"] = iso8601(certs.front().issued_at);
    }
    return j;
}

json requests_json(Store& store) {
    json out = json::array();
    for (const auto status : {RequestStatus::pending, RequestStatus::overlap})
        for (const auto& r : store.requests_with_status(status))
            out.push_back({{"id", r.id},
                           {"status", to_string(r.status)},
                           {"key_type", r.key_type},
                           {"key_id", r.key_id.substr(0, 16)},
                           {"name_hint", r.name_hint},
                           {"ipv4", r.ipv4 ? r.ipv4->to_string() : ""},
                           {"received_at", iso8601(r.received_at)}});
    return out;
}

json mdns_json(const MdnsStatus& m) {
    return {{"enabled", m.enabled},
            {"daemon_running", m.daemon_running},
            {"collisions", m.collisions},
            {"detail", m.detail}};
}

std::string string_arg(const json& cmd, const char* key) {
    const auto it = cmd.find(key);
    return it != cmd.end() && it->is_string() ? it->get<std::string>() : "";
}

json run(const json& cmd, AdminContext& c) {
    const std::string name = string_arg(cmd, "cmd");
    if (name == "pair") {
        auto seconds = c.default_pairing;
        const auto it = cmd.find("seconds");
        if (it != cmd.end()) {
            if (!it->is_number_integer() || it->get<long>() < 1 || it->get<long>() > 3600)
                return error("seconds must be a whole number from 1 to 3600");
            seconds = std::chrono::seconds(it->get<long>());
        }
        return ok({{"pairing", pairing_json(c.service.open_pairing(seconds), c.clock.now())}});
    }
    if (name == "approve") {
        const auto result = c.service.approve(string_arg(cmd, "id"));
        if (!result) return error(result.error());
        return ok({{"name", result.value().name}, {"fqdn", result.value().fqdn}});
    }
    if (name == "deny") {
        const auto result = c.service.deny(string_arg(cmd, "id"));
        return result ? ok(json::object()) : error(result.error());
    }
    if (name == "revoke") {
        const auto result = c.service.revoke(string_arg(cmd, "name"));
        return result ? ok({{"serials", result.value()}}) : error(result.error());
    }
    if (name == "devices") {
        json list = json::array();
        for (const auto& d : c.store.devices())
            list.push_back(device_json(d, c.store, c.issuer.policy()));
        return ok({{"devices", list}});
    }
    if (name == "status") {
        const auto& policy = c.issuer.policy();
        json subnets = json::array();
        for (const auto& s : policy.lan_subnets) subnets.push_back(s.to_string());
        return ok({{"url", c.url},
                   {"domain", policy.domain},
                   {"local_names", policy.local_names},
                   {"lan_subnets", subnets},
                   {"root_fingerprint", sha256_fingerprint(c.issuer.root())},
                   {"root_not_after", iso8601(to_time_point(c.issuer.root().not_after()))},
                   {"intermediate_fingerprint", sha256_fingerprint(c.issuer.intermediate())},
                   {"intermediate_not_after",
                    iso8601(to_time_point(c.issuer.intermediate().not_after()))},
                   {"devices", c.store.devices().size()},
                   {"requests", requests_json(c.store)},
                   {"pairing", pairing_json(c.service.pairing(), c.clock.now())},
                   {"dns", c.dns_endpoint},
                   {"mdns", mdns_json(c.mdns.status())}});
    }
    return error("unknown command '" + name + "'");
}

}  // namespace

std::string handle_admin_command(const std::string& line, AdminContext& context) {
    const json cmd = json::parse(line, nullptr, false);
    if (cmd.is_discarded() || !cmd.is_object()) return error("not a JSON object").dump();
    return run(cmd, context).dump();
}

}  // namespace rca
