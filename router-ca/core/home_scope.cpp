#include "core/home_scope.hpp"

namespace rca {

std::optional<std::string> home_domain_problem(const std::string& domain,
                                               const PublicSuffixes& suffixes) {
    if (!suffixes.is_public_suffix(domain)) return std::nullopt;
    return domain + " is a public suffix (per " + suffixes.source() +
           "): the root would vouch for every domain registered under it; use home.arpa "
           "(RFC 8375) or a domain of your own";
}

std::optional<std::string> lan_subnet_problem(const Ipv4Subnet& subnet) {
    for (const auto& text : kHomeIpv4Ranges)
        if (subnet.within(*Ipv4Subnet::parse(text))) return std::nullopt;
    std::string ranges;
    for (const auto& text : kHomeIpv4Ranges) ranges += (ranges.empty() ? "" : ", ") + text;
    return subnet.to_string() +
           " is not a home network: the root may vouch only for subnets inside the private "
           "(RFC 1918), shared (RFC 6598) and loopback ranges: " +
           ranges;
}

std::optional<std::string> lan_subnet6_problem(const Ipv6Subnet& subnet) {
    if (subnet.within(*Ipv6Subnet::parse(kUlaRange))) return std::nullopt;
    return subnet.to_string() + " is not a unique local prefix: the root may vouch only for IPv6 " +
           "prefixes inside " + kUlaRange + " (RFC 4193)";
}

}  // namespace rca
