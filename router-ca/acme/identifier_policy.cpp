#include "acme/identifier_policy.hpp"

#include <algorithm>

#include "common/ascii_lower.hpp"
#include "core/name_assigner.hpp"

namespace rca::acme {
namespace {

// The device label of one dns identifier, or the reason it is refused.
AcmeResult<std::string> label_of(const HomePolicy& policy, const std::string& value) {
    const auto refuse = [&](const std::string& why) {
        return problem(ProblemType::rejected_identifier, "\"" + value + "\" " + why);
    };
    if (value.rfind("*.", 0) == 0)
        return refuse(
            "is a wildcard; the router issues each device a certificate for its own "
            "name, e.g. nas." +
            policy.domain);
    const std::string name = ascii_lower(value);
    const auto dot = name.find('.');
    if (dot == std::string::npos) return refuse("is not under " + policy.domain);
    const std::string label = name.substr(0, dot);
    const std::string parent = name.substr(dot + 1);
    const bool home = parent == policy.domain;
    const bool local = policy.local_names && parent == kLocalDomain;
    if (!home && !local) {
        const bool deeper = name.size() > policy.domain.size() + 1 &&
                            name.compare(name.size() - policy.domain.size() - 1, std::string::npos,
                                         "." + policy.domain) == 0;
        return refuse(deeper ? "has more than one label under " + policy.domain +
                                   "; a device's name is one label, e.g. nas." + policy.domain
                             : "is outside the home domain " + policy.domain +
                                   "; this CA vouches for home names only");
    }
    // The same label rule as for names the router assigns (RFC 1123 section 2.1, lowercase).
    if (label.empty() || sanitize_label(label) != label)
        return refuse("is not a valid name: one label of letters, digits and '-', at most " +
                      std::to_string(kMaxLabel) + " characters");
    if (is_reserved_label(label) && label != kRouterName)
        return refuse(
            "is a name clients look up to configure themselves (WPAD, ISATAP, "
            "localhost); the router never issues it");
    return label;
}

}  // namespace

AcmeResult<OrderNames> accept_identifiers(const HomePolicy& policy,
                                          const std::vector<Identifier>& identifiers) {
    if (identifiers.empty())
        return problem(ProblemType::malformed, "the order lists no identifiers");
    if (identifiers.size() > kMaxIdentifiers)
        return problem(ProblemType::malformed, "an order may list at most " +
                                                   std::to_string(kMaxIdentifiers) +
                                                   " identifiers; a device has two names");
    OrderNames names;
    for (const auto& id : identifiers) {
        if (id.type == "ip")
            return problem(ProblemType::rejected_identifier,
                           "IP address identifiers are not issued; order the device's name, and "
                           "the certificate carries its LAN address too");
        if (id.type != "dns")
            return problem(ProblemType::unsupported_identifier,
                           "identifier type \"" + id.type + "\" is not supported; use \"dns\"");
        auto label = label_of(policy, id.value);
        if (!label) return label.error();
        if (names.label.empty()) names.label = label.value();
        if (label.value() != names.label)
            return problem(ProblemType::rejected_identifier,
                           "one order is for one device, but it names both \"" + names.label +
                               "\" and \"" + label.value() + "\"; place one order per device");
        const std::string value = ascii_lower(id.value);
        if (std::find(names.identifiers.begin(), names.identifiers.end(), value) ==
            names.identifiers.end())
            names.identifiers.push_back(value);
    }
    return names;
}

}  // namespace rca::acme
