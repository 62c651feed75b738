#include "mdns/host_plan.hpp"

#include "common/ascii_lower.hpp"

namespace rca::mdns {
namespace {

// One DNS label is at most 63 octets (RFC 1035 section 2.3.4).
constexpr size_t kMaxLabelBytes = 63;

}  // namespace

bool is_publishable_label(const std::string& label) {
    if (label.empty() || label.size() > kMaxLabelBytes) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (const char c : label)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    return true;
}

std::string local_name(const std::string& label) { return ascii_lower(label) + ".local"; }

HostPlan plan_hosts(const HostMap& published, const std::vector<MdnsHost>& wanted) {
    HostPlan plan;
    for (const MdnsHost& host : wanted) {
        if (!is_publishable_label(host.label)) {
            plan.rejected.push_back("\"" + host.label +
                                    "\" is not a single DNS label of letters, digits and "
                                    "hyphens, so it is not published as a .local name");
            continue;
        }
        const std::string key = ascii_lower(host.label);
        if (!plan.wanted.emplace(key, host.address).second)
            plan.rejected.push_back(key + ".local is asked for twice; publishing " +
                                    plan.wanted.at(key).to_string() + ", not " +
                                    host.address.to_string());
    }
    for (const auto& [label, address] : published)
        if (!plan.wanted.count(label)) plan.withdraw.push_back(label);
    for (const auto& [label, address] : plan.wanted) {
        const auto it = published.find(label);
        if (it == published.end() || it->second != address) plan.publish.push_back(label);
    }
    return plan;
}

}  // namespace rca::mdns
