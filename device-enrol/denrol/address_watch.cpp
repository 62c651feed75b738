#include "denrol/address_watch.hpp"

#include <algorithm>

#include "denrol/address_update.hpp"

namespace denrol {

AddressWatch::AddressWatch(const EnrolmentDir& dir, const AddressProbe& probe,
                           std::chrono::seconds every, const HttpOptions& http, Clock& clock,
                           const Log& log)
    : dir_(dir), probe_(probe), every_(every), http_(http), clock_(clock), log_(log) {}

Result<Done> AddressWatch::check() {
    if (every_.count() <= 0) return Done{};
    // A renewal whose answer is outstanding comes first (report_address): `run` is retrying it,
    // and the address is looked at again once it is installed.
    if (dir_.has(EnrolmentDir::kRenewalKey)) return Done{};
    auto state = dir_.load_state();
    if (!state) return state.error();
    const auto router = parse_router_url(state.value().router_url);
    if (!router)
        return fail(Errc::local, "state.json names a bad router URL: " + router.error().detail);
    const auto detected = probe_.source_towards(router.value());
    const auto address =
        address_to_report(detected, AddressMemory{state.value().reported_ipv4, refused_});
    if (!address) return Done{};

    const std::string was = state.value().reported_ipv4;
    log_("this device's LAN address is now " + *address +
         (was.empty() ? std::string() : " (was " + was + ")") + "; telling the router");
    auto reported = report_address(dir_, state.value(), *address, http_);
    if (reported) {
        refused_.clear();
        log_("the router now answers " + state.value().fqdn + " with " + *address);
        return Done{};
    }
    switch (classify_update_failure(reported.error())) {
        case UpdateFailure::stop:
            return reported.error();
        case UpdateFailure::skip_address:
            refused_ = *address;
            log_("address update refused: " + reported.error().detail +
                 "; not offering this address again until it changes");
            return Done{};
        case UpdateFailure::retry_later:
            log_("address update failed: " + reported.error().detail +
                 "; trying again at the next check");
            return Done{};
    }
    return Done{};
}

Result<bool> AddressWatch::sleep_until(TimePoint when) {
    if (every_.count() <= 0) return clock_.sleep_until(when);
    for (;;) {
        const TimePoint now = clock_.now();
        if (now >= when) return true;
        if (!clock_.sleep_until(std::min(when, now + every_))) return false;
        if (clock_.now() >= when) return true;
        if (auto checked = check(); !checked) return checked.error();
    }
}

}  // namespace denrol
