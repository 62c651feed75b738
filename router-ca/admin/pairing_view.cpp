#include "admin/pairing_view.hpp"

#include <algorithm>

#include "wire/fingerprint_text.hpp"

namespace rca {

using nlohmann::json;

namespace {

std::string mac_of(AdminContext& c, const std::string& source) {
    if (!c.mac_of || source.empty()) return "";
    return c.mac_of(source).value_or("");
}

// One participant of a pairing window: a device's request, or an ACME account.
json participant_json(const ParticipantId& who, AdminContext& c) {
    if (who.kind == ParticipantKind::acme_account) {
        const std::string& account_id = who.id;
        json j{{"kind", "acme-account"}, {"id", account_id}};
        if (c.acme) {
            const auto accounts = c.acme->accounts();
            const auto a = std::find_if(accounts.begin(), accounts.end(),
                                        [&](const auto& x) { return x.id == account_id; });
            if (a != accounts.end()) {
                j["source"] = a->source;
                j["mac"] = mac_of(c, a->source);
                j["key_fingerprint"] = wire::group_fingerprint(a->thumbprint.substr(0, 16));
                j["approval"] = to_string(a->approval);
            }
        }
        return j;
    }
    json j{{"kind", "device"}, {"id", who.id}};
    if (const auto r = c.store.find_request(who.id)) {
        j["source"] = r->source;
        j["mac"] = mac_of(c, r->source);
        j["key_fingerprint"] = wire::short_key_fingerprint(r->key_id);
        j["name_hint"] = r->name_hint;
        j["status"] = to_string(r->status);
    }
    return j;
}

}  // namespace

json pairing_json(const PairingSnapshot& p, AdminContext& c) {
    json requests = json::array();
    for (const auto& who : p.outcome_requests) requests.push_back(to_string(who));
    json j = {{"open", p.open}, {"outcome", to_string(p.outcome)}, {"requests", requests}};
    if (p.open)
        j["closes_in_seconds"] =
            std::chrono::duration_cast<std::chrono::seconds>(p.closes_at - c.clock.now()).count();
    // The UI shows which device the window approved, not just a request id.
    if (p.outcome == WindowOutcome::approved && !p.outcome_requests.empty() &&
        p.outcome_requests.front().kind == ParticipantKind::device_request) {
        const auto request = c.store.find_request(p.outcome_requests.front().id);
        if (request && request->device_id)
            if (const auto device = c.store.find_device(*request->device_id))
                j["approved_device"] = {{"name", device->name},
                                        {"fqdn", c.issuer.policy().fqdn(device->name)}};
    }
    if (p.outcome == WindowOutcome::overlap) {
        json participants = json::array();
        for (const auto& id : p.outcome_requests) participants.push_back(participant_json(id, c));
        j["participants"] = participants;
    }
    return j;
}

json requests_json(AdminContext& c) {
    std::vector<std::string> suspicious;
    for (const auto& s : c.service.suspicious_sources()) suspicious.push_back(s.source);
    json out = json::array();
    for (const auto status : {RequestStatus::pending, RequestStatus::overlap})
        for (const auto& r : c.store.requests_with_status(status))
            out.push_back({{"id", r.id},
                           {"status", to_string(r.status)},
                           {"key_type", r.key_type},
                           {"key_id", r.key_id.substr(0, 16)},
                           {"key_fingerprint", wire::short_key_fingerprint(r.key_id)},
                           {"name_hint", r.name_hint},
                           {"ipv4", r.ipv4 ? r.ipv4->to_string() : ""},
                           {"source", r.source},
                           {"mac", mac_of(c, r.source)},
                           {"suspicious", std::find(suspicious.begin(), suspicious.end(),
                                                    r.source) != suspicious.end()},
                           {"received_at", iso8601(r.received_at)}});
    return out;
}

json suspicious_json(AdminContext& c) {
    json out = json::array();
    for (const auto& s : c.service.suspicious_sources())
        out.push_back({{"source", s.source},
                       {"mac", mac_of(c, s.source)},
                       {"first_seen", iso8601(s.first_seen)},
                       {"last_seen", iso8601(s.last_seen)},
                       {"requests", s.requests},
                       {"overlaps", s.overlaps}});
    return out;
}

json blocked_json(AdminContext& c) {
    json out = json::array();
    for (const auto& [source, at] : c.store.blocked_sources())
        out.push_back({{"source", source}, {"blocked_at", iso8601(at)}});
    return out;
}

std::string overlap_alert(const std::vector<ParticipantId>& ids, AdminContext& c) {
    std::string line = "pairing overlap: " + std::to_string(ids.size()) +
                       " devices or accounts asked in one window, none is approved; pair them "
                       "again one at a time, or approve the right one (router-ca status):";
    for (const auto& id : ids) {
        const json p = participant_json(id, c);
        line +=
            " [" + p.value("kind", "") + " " + p.value("id", "") + " from " +
            (p.value("source", "").empty() ? "an unknown address" : p.value("source", "")) +
            (p.value("mac", "").empty() ? "" : " (MAC " + p.value("mac", "") + ")") + ", key " +
            p.value("key_fingerprint", "?") +
            (p.value("name_hint", "").empty() ? "" : ", asked for " + p.value("name_hint", "")) +
            "]";
    }
    return line;
}

}  // namespace rca
