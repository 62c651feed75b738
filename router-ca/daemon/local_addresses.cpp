#include "daemon/local_addresses.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>

namespace rca {
namespace {

std::vector<Ipv4> interface_addresses() {
    std::vector<Ipv4> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return out;
    for (const ifaddrs* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
        const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
        out.push_back(Ipv4{ntohl(in->sin_addr.s_addr)});
    }
    ::freeifaddrs(list);
    return out;
}

}  // namespace

std::vector<Ipv4> certificate_addresses(const std::string& listen_host, const HomePolicy& policy) {
    const auto host = Ipv4::parse(listen_host);
    std::vector<Ipv4> candidates;
    if (host && host->value == 0)
        candidates = interface_addresses();
    else if (host)
        candidates.push_back(*host);
    std::vector<Ipv4> out;
    for (const Ipv4 a : candidates)
        if (policy.is_lan_address(a) && std::find(out.begin(), out.end(), a) == out.end())
            out.push_back(a);
    return out;
}

std::vector<Ipv4> own_addresses(const std::string& listen_host,
                                std::optional<Ipv4> router_address) {
    // Every interface's, whatever the listen address: a router listening on its LAN address
    // still serves its other pages (LuCI, say) on the others.
    std::vector<Ipv4> out;
    const auto add = [&out](std::optional<Ipv4> a) {
        // 0.0.0.0 (listening on every address) is no address of its own.
        if (a && a->value != 0 && std::find(out.begin(), out.end(), *a) == out.end())
            out.push_back(*a);
    };
    for (const Ipv4 a : interface_addresses()) add(a);
    add(Ipv4::parse(listen_host));
    add(router_address);
    return out;
}

}  // namespace rca
