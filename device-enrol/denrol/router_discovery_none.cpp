// Discovery in builds without Avahi (ROUTER_CA_AVAHI=OFF): there is none, and the user is told
// what to give instead.
#include "denrol/router_discovery.hpp"

namespace denrol {

bool router_discovery_built_in() { return false; }

Result<AdvertisedRouter> discover_router(std::chrono::milliseconds, const Log&) {
    return fail(Errc::usage,
                "this device-enrol was built without mDNS (ROUTER_CA_AVAHI=OFF), so it cannot "
                "find the router by itself: give --router https://ADDRESS:PORT");
}

}  // namespace denrol
