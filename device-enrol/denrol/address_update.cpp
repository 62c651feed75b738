#include "denrol/address_update.hpp"

#include "denrol/device_identity.hpp"

namespace denrol {

Result<AddressOutcome> report_address(const EnrolmentDir& dir, const DeviceState& state,
                                      const std::string& ipv4, const HttpOptions& http) {
    if (dir.has(EnrolmentDir::kRenewalKey))
        return fail(Errc::local,
                    "a renewal sent earlier has no answer yet (" +
                        dir.file(EnrolmentDir::kRenewalKey) +
                        "): the router hears only from the newest certificate, so run `renew` "
                        "first");
    auto identity = load_identity(dir, state);
    if (!identity) return identity.error();
    HttpOptions from = http;
    if (!ipv4.empty()) from.source_ipv4 = ipv4;
    RouterClient client(identity.value().router, identity.value().root_pem, dir, from);
    auto sent = client.update_address(rca::wire::AddressUpdate{ipv4}, identity.value().client);
    if (!sent) return sent.error();
    auto saved = dir.update_state([&ipv4](DeviceState& s) { s.reported_ipv4 = ipv4; });
    if (!saved) return saved.error();
    return AddressOutcome{ipv4, saved.value()};
}

Result<AddressOutcome> update_address(const std::string& out_dir, const std::string& ipv4,
                                      const AddressProbe& probe, const HttpOptions& http) {
    HttpOptions given = http;
    given.source_ipv4 = ipv4;
    if (auto checked = check_options(given); !checked) return checked.error();
    const EnrolmentDir dir(out_dir);
    if (auto recovered = dir.recover(); !recovered) return recovered.error();
    auto state = dir.load_state();
    if (!state) return state.error();
    std::string address = ipv4;
    if (address.empty()) {
        const auto router = parse_router_url(state.value().router_url);
        if (!router)
            return fail(Errc::local, "state.json names a bad router URL: " + router.error().detail);
        address = probe.source_towards(router.value()).value_or("");
    }
    return report_address(dir, state.value(), address, http);
}

}  // namespace denrol
