#include "denrol/status_report.hpp"

#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "denrol/own_revocation.hpp"
#include "denrol/public_certificate.hpp"

namespace denrol {

StatusReport make_status_report(const DeviceState& state, const std::string& dir, TimePoint now) {
    const Validity v{state.not_before, state.not_after};
    StatusReport r{state, dir, now, renewal_window_start(v), is_due(v, now), now >= state.not_after,
                   0,     {},  {}};
    r.public_cert.offered_name = state.public_name;
    const double days = std::chrono::duration<double>(state.not_after - now).count() / 86400.0;
    r.days_left = static_cast<long>(std::floor(days));
    return r;
}

Result<StatusReport> read_status(const EnrolmentDir& dir, TimePoint now) {
    if (auto recovered = dir.recover(); !recovered) return recovered.error();
    auto state = dir.load_state();
    if (!state) return state.error();
    StatusReport report = make_status_report(state.value(), dir.path(), now);
    report.revocation = cached_own_revocation(dir, now);
    auto installed = read_installed_public(dir);
    if (!installed) return installed.error();
    if (const auto& pub = installed.value()) {
        report.public_cert.installed = true;
        report.public_cert.name = pub->name;
        report.public_cert.serial = pub->facts.serial;
        report.public_cert.not_after = pub->facts.validity.not_after;
        report.public_cert.renew_at = pub->renew_at;
    }
    report.public_cert.order_pending = dir.has(EnrolmentDir::kPublicOrder);
    return report;
}

namespace {

const char* revocation_name(RevocationCheck::Status s) {
    switch (s) {
        case RevocationCheck::Status::good:
            return "good";
        case RevocationCheck::Status::revoked:
            return "revoked";
        case RevocationCheck::Status::unknown:
            break;
    }
    return "unknown";
}

// One line on the public certificate.
std::string public_text(const PublicStatus& p) {
    std::string line;
    if (p.installed)
        line = p.name + ", certificate " + p.serial + " valid until " + format_utc(p.not_after) +
               ", renewal at " + format_utc(p.renew_at);
    else if (!p.offered_name.empty())
        line = "none yet for " + p.offered_name;
    else
        return "none (the router offers none: it has no home at a vendor HQ)";
    if (p.installed && !p.offered_name.empty() && p.offered_name != p.name)
        line += " (the router now offers " + p.offered_name + ")";
    if (p.order_pending) line += "; an order is pending at HQ (`run` polls it)";
    return line;
}

}  // namespace

std::string status_text(const StatusReport& r) {
    const DeviceState& s = r.state;
    std::ostringstream out;
    out << "name:          " << s.name << "\n"
        << "fqdn:          " << s.fqdn << "\n"
        << "serial:        " << s.serial << "\n"
        << "valid:         " << format_utc(s.not_before) << " to " << format_utc(s.not_after)
        << "\n"
        << "days left:     " << r.days_left << (r.expired ? " (EXPIRED: pair again)" : "") << "\n"
        << "renewal:       "
        << (r.renewal_due ? "due now" : "not due until " + format_utc(r.renewal_due_at)) << "\n"
        << "revocation:    " << describe_revocation(r.revocation, s.serial) << "\n"
        << "last renewal:  " << format_utc(s.last_renewal) << "\n"
        << "key type:      " << key_type_name(s.key_type) << "\n"
        << "router:        " << s.router_url << "\n"
        << "address:       "
        << (s.reported_ipv4.empty() ? std::string("not reported yet")
                                    : s.reported_ipv4 + " (last reported to the router)")
        << "\n"
        << "public:        " << public_text(r.public_cert) << "\n"
        << "root sha-256:  " << s.root_sha256 << "\n"
        << "files in:      " << r.dir << "\n";
    return out.str();
}

std::string status_json(const StatusReport& r) {
    const DeviceState& s = r.state;
    nlohmann::json j = {{"name", s.name},
                        {"fqdn", s.fqdn},
                        {"serial", s.serial},
                        {"not_before", format_utc(s.not_before)},
                        {"not_after", format_utc(s.not_after)},
                        {"days_left", r.days_left},
                        {"expired", r.expired},
                        {"renewal_due", r.renewal_due},
                        {"renewal_due_at", format_utc(r.renewal_due_at)},
                        {"revocation", revocation_name(r.revocation.status)},
                        {"last_renewal", format_utc(s.last_renewal)},
                        {"key_type", key_type_name(s.key_type)},
                        {"router", s.router_url},
                        {"reported_ipv4", s.reported_ipv4},
                        {"root_sha256", s.root_sha256},
                        {"dir", r.dir}};
    if (r.revocation.status == RevocationCheck::Status::revoked)
        j["revoked_at"] = format_utc(r.revocation.revoked_at);
    const PublicStatus& p = r.public_cert;
    nlohmann::json pub = {{"offered_name", p.offered_name},
                          {"installed", p.installed},
                          {"order_pending", p.order_pending}};
    if (p.installed) {
        pub["name"] = p.name;
        pub["serial"] = p.serial;
        pub["not_after"] = format_utc(p.not_after);
        pub["renew_at"] = format_utc(p.renew_at);
    }
    j["public"] = pub;
    return j.dump(2) + "\n";
}

}  // namespace denrol
