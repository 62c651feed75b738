#include "core/device_address.hpp"

#include <algorithm>

namespace rca {

AddressVerdict judge_device_address(const HomePolicy& policy, const std::vector<Ipv4>& router,
                                    std::optional<Ipv4> candidate,
                                    const std::vector<Device>& holders, int64_t self) {
    if (!candidate || !policy.is_lan_address(*candidate)) return {};
    const std::string text = candidate->to_string();
    if (std::find(router.begin(), router.end(), *candidate) != router.end())
        return {std::nullopt, text + " is the router's own address"};
    for (const auto& holder : holders)
        if (holder.id != self && !holder.revoked_at && holder.ipv4 == candidate)
            return {std::nullopt, text + " is the current address of device " + holder.name};
    return {candidate, ""};
}

Result<Done> check_stated_address(const std::string& stated, std::optional<Ipv4> source) {
    if (stated.empty()) return Done{};
    const auto address = Ipv4::parse(stated);
    if (!address)
        return fail(Errc::malformed,
                    "\"ipv4\" must be a dotted-quad IPv4 address, got \"" + stated + "\"");
    if (address != source)
        return fail(Errc::policy_denied,
                    "the stated address " + address->to_string() +
                        " is not the address this request came from (" +
                        (source ? source->to_string() : std::string("not IPv4")) +
                        "): the router takes a device's address from its connection; connect "
                        "from the address, or leave \"ipv4\" out");
    return Done{};
}

}  // namespace rca
