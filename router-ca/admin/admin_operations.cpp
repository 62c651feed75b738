#include "admin/admin_operations.hpp"

#include <botan/x509cert.h>

#include "admin/acme_admin_commands.hpp"
#include "admin/pairing_view.hpp"
#include "core/certificate_signer.hpp"
#include "wire/fingerprint_text.hpp"

namespace rca {
namespace {

using nlohmann::json;

// The newest events the audit view lists by default, and at most.
constexpr long kDefaultAuditEvents = 200;
constexpr long kMaxAuditEvents = 5000;

// The revocation of the device's current certificate (its newest): the admin revoked the device,
// or an ACME client revoked that certificate (RFC 8555 section 7.6), which leaves the device
// itself unrevoked so that its account may order again. Either way the certificate the device
// holds is revoked, and the list says so.
std::optional<Revocation> current_revocation(const Device& d, const std::vector<IssuedCert>& certs,
                                             Store& store) {
    if (!certs.empty())
        if (auto r = store.revocation_of(certs.front().serial_hex)) return r;
    if (d.revoked_at) return Revocation{"", *d.revoked_at, RevocationReason::unspecified};
    return std::nullopt;
}

json device_json(const Device& d, Store& store, const HomePolicy& policy) {
    const auto certs = store.certificates_of(d.id);
    const auto revocation = current_revocation(d, certs, store);
    json j = {{"name", d.name},
              {"fqdn", policy.fqdn(d.name)},
              {"ipv4", d.ipv4 ? d.ipv4->to_string() : ""},
              {"key_type", d.key_type},
              {"source", to_string(d.source)},
              {"created_at", iso8601(d.created_at)},
              {"revoked", revocation.has_value()}};
    if (revocation) {
        j["revoked_at"] = iso8601(revocation->revoked_at);
        j["revocation_reason"] = to_string(revocation->reason);
    }
    if (d.possibly_cloned_at) j["possibly_cloned_at"] = iso8601(*d.possibly_cloned_at);
    if (!certs.empty()) {
        j["serial"] = certs.front().serial_hex;
        j["not_after"] = iso8601(certs.front().not_after);
        j["last_issued_at"] = iso8601(certs.front().issued_at);
        j["certificates"] = certs.size();
    }
    return j;
}

json mdns_json(const MdnsStatus& m) {
    return {{"enabled", m.enabled},
            {"daemon_running", m.daemon_running},
            {"collisions", m.collisions},
            {"detail", m.detail}};
}

json expiring_soon(AdminContext& c, TimePoint now) {
    json out = json::array();
    for (const auto& d : c.store.devices()) {
        const auto certs = c.store.certificates_of(d.id);
        if (certs.empty() || current_revocation(d, certs, c.store)) continue;
        if (certs.front().not_after - now < std::chrono::hours(24 * kExpiringSoonDays))
            out.push_back({{"name", d.name}, {"not_after", iso8601(certs.front().not_after)}});
    }
    return out;
}

// Devices whose replaced certificate asked for more than a lost renewal answer (issue 15, part
// 5), until the admin revokes them: someone may hold a copy of an old key.
json possibly_cloned(Store& store) {
    json out = json::array();
    for (const auto& d : store.devices())
        if (d.possibly_cloned_at && !d.revoked_at)
            out.push_back({{"name", d.name}, {"at", iso8601(*d.possibly_cloned_at)}});
    return out;
}

Result<json> status(AdminContext& c) {
    const auto& policy = c.issuer.policy();
    const TimePoint now = c.clock.now();
    json subnets = json::array();
    for (const auto& s : policy.lan_subnets) subnets.push_back(s.to_string());
    const std::string root_fp = sha256_fingerprint(c.issuer.root());
    const std::string intermediate_fp = sha256_fingerprint(c.issuer.intermediate());
    json j = {
        {"url", c.url},
        {"domain", policy.domain},
        {"local_names", policy.local_names},
        {"lan_subnets", subnets},
        {"root_fingerprint", root_fp},
        {"root_fingerprint_grouped", wire::group_fingerprint(root_fp)},
        {"root_not_after", iso8601(to_time_point(c.issuer.root().not_after()))},
        {"intermediate_fingerprint", intermediate_fp},
        {"intermediate_fingerprint_grouped", wire::group_fingerprint(intermediate_fp)},
        {"intermediate_not_after", iso8601(to_time_point(c.issuer.intermediate().not_after()))},
        {"devices", c.store.devices().size()},
        {"expiring_soon", expiring_soon(c, now)},
        {"possibly_cloned", possibly_cloned(c.store)},
        {"requests", requests_json(c)},
        {"pairing", pairing_json(c.service.pairing(), c)},
        {"suspicious_sources", suspicious_json(c)},
        {"blocked_sources", blocked_json(c)},
        {"dns", c.dns_endpoint},
        {"mdns", mdns_json(c.mdns.status())}};
    if (c.account) j["setup_needed"] = c.account->setup_needed();
    if (c.ca_keys_status) j["ca_keys"] = c.ca_keys_status(now);
    j["public"] = c.public_status ? c.public_status() : json{{"state", "off"}};
    return j;
}

}  // namespace

std::string string_arg(const json& cmd, const char* key) {
    const auto it = cmd.find(key);
    return it != cmd.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<json> run_admin_command(const json& cmd, AdminContext& c) {
    if (!cmd.is_object()) return fail(Errc::malformed, "a command is a JSON object");
    const std::string name = string_arg(cmd, "cmd");
    if (name == "pair") {
        auto seconds = c.default_pairing;
        const auto it = cmd.find("seconds");
        if (it != cmd.end() && !it->is_null()) {
            if (!it->is_number_integer() || it->get<long>() < 1 || it->get<long>() > 3600)
                return fail(Errc::malformed, "seconds must be a whole number from 1 to 3600");
            seconds = std::chrono::seconds(it->get<long>());
        }
        return json{{"pairing", pairing_json(c.service.open_pairing(seconds), c)}};
    }
    if (name == "approve") {
        const auto result = c.service.approve(string_arg(cmd, "id"));
        if (!result) return result.error();
        return json{{"name", result.value().name}, {"fqdn", result.value().fqdn}};
    }
    if (name == "deny") {
        const auto result = c.service.deny(string_arg(cmd, "id"));
        if (!result) return result.error();
        return json::object();
    }
    if (name == "block") {
        const auto result = c.service.block(string_arg(cmd, "source"));
        if (!result) return result.error();
        return json{{"denied", result.value()}};
    }
    if (name == "unblock") {
        const auto result = c.service.unblock(string_arg(cmd, "source"));
        if (!result) return result.error();
        return json::object();
    }
    if (name == "revoke") {
        // RFC 5280 5.3.1's name, as the CRL entry will carry it; none given is unspecified.
        std::optional<RevocationReason> reason = RevocationReason::unspecified;
        if (const auto it = cmd.find("reason"); it != cmd.end() && !it->is_null())
            reason =
                it->is_string() ? revocation_reason_from(it->get<std::string>()) : std::nullopt;
        if (!reason)
            return fail(Errc::malformed,
                        "the revocation reason must be one of " + revocation_reason_names());
        const auto result = c.service.revoke(string_arg(cmd, "name"), *reason);
        if (!result) return result.error();
        return json{{"serials", result.value()}};
    }
    if (name == "rename") {
        const auto result = c.service.rename(string_arg(cmd, "name"), string_arg(cmd, "new_name"));
        if (!result) return result.error();
        return json{{"name", string_arg(cmd, "new_name")}, {"fqdn", result.value()}};
    }
    if (name == "delete") {
        const auto result = c.service.remove(string_arg(cmd, "name"));
        if (!result) return result.error();
        return json::object();
    }
    if (name == "devices") {
        json list = json::array();
        for (const auto& d : c.store.devices())
            list.push_back(device_json(d, c.store, c.issuer.policy()));
        return json{{"devices", list}};
    }
    if (name == "audit") {
        long limit = kDefaultAuditEvents;
        const auto it = cmd.find("limit");
        if (it != cmd.end() && !it->is_null()) {
            if (!it->is_number_integer() || it->get<long>() < 1 ||
                it->get<long>() > kMaxAuditEvents)
                return fail(Errc::malformed, "limit must be a whole number from 1 to " +
                                                 std::to_string(kMaxAuditEvents));
            limit = it->get<long>();
        }
        json events = json::array();
        for (const auto& e : c.store.audit_log(static_cast<size_t>(limit)))
            events.push_back({{"at", iso8601(e.at)},
                              {"event", e.event},
                              {"subject", e.subject},
                              {"detail", e.detail}});
        return json{{"events", events}};
    }
    if (name == "status") return status(c);
    if (is_acme_command(name)) return run_acme_command(name, cmd, c);
    if (name == "setup-code") {
        if (!c.account) return fail(Errc::unavailable, "this daemon serves no web UI");
        const auto code = c.account->setup_code();
        if (!code)
            return fail(Errc::conflict,
                        "the admin account exists already; reset its password "
                        "with 'router-ca passwd'");
        return json{{"setup_code", *code}};
    }
    if (name == "logout-all") {
        if (c.account) c.account->log_out_everyone();
        return json::object();
    }
    return fail(Errc::malformed, "unknown command '" + name + "'");
}

}  // namespace rca
