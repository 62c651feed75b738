#pragma once
// Moving the published set of `<label>.local` A records to a new wanted set with as few changes
// as possible. Each host is its own Avahi entry group, so that one name someone else already
// holds fails alone (RFC 6762 section 9) and a change to one device does not withdraw and
// re-probe ten thousand others. Pure, so the diff is tested without a daemon.
#include <map>
#include <string>
#include <vector>

#include "core/mdns_publisher.hpp"

namespace rca::mdns {

/// Published (or to-be-published) records: lower-case label -> address. mDNS names compare
/// case-insensitively (RFC 6762 section 16), so keys are lower-case.
using HostMap = std::map<std::string, Ipv4>;

/// The steps from one host set to another.
struct HostPlan {
    HostMap wanted;                     ///< the valid hosts asked for, keyed by lower-case label
    std::vector<std::string> withdraw;  ///< labels to withdraw: gone from the wanted set
    std::vector<std::string> publish;   ///< labels to (re)publish: new, or with a new address
    std::vector<std::string> rejected;  ///< one sentence per host that cannot be published
};

/// True for a label router-ca publishes under `.local`: 1..63 letters, digits and hyphens, not
/// starting or ending with a hyphen (the names the router assigns; RFC 1123 section 2.1).
bool is_publishable_label(const std::string& label);

/// `<label>.local` in lower case.
std::string local_name(const std::string& label);

/// The plan from `published` to `wanted`. Invalid labels and repeated labels (after the first)
/// are rejected with a sentence each; order of `withdraw` and `publish` is by label.
HostPlan plan_hosts(const HostMap& published, const std::vector<MdnsHost>& wanted);

}  // namespace rca::mdns
