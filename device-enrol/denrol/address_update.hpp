#pragma once
// Telling the router this device's LAN address (PUT /api/v1/address over mutual TLS with the
// current certificate), so that its DNS answers <name>.<domain> with where the device is now
// (architecture brief, After onboarding). The router takes the address from the connection, so
// the device connects from the address it reports. `device-enrol address` does it once; `run` does
// it whenever the address changes (address_watch.hpp).
#include <string>

#include "denrol/address_probe.hpp"
#include "denrol/enrolment_dir.hpp"
#include "denrol/errors.hpp"
#include "denrol/router_client.hpp"

namespace denrol {

/// What an address update did.
struct AddressOutcome {
    std::string sent;   ///< the address sent; "" when the router took the connection's source
    DeviceState state;  ///< state.json afterwards
};

/// Tells the router `ipv4` for the enrolment described by `state`: connects from it (the router
/// records the connection's source, and checks the body's "ipv4" against it), or, when it is "",
/// from the kernel's choice with no address stated. Records it in state.json as reported_ipv4 on
/// success. A renewal whose answer is still outstanding (renewal-key.pem) is an Errc::local
/// error: the router hears only from the newest certificate, so the renewal comes first.
Result<AddressOutcome> report_address(const EnrolmentDir& dir, const DeviceState& state,
                                      const std::string& ipv4, const HttpOptions& http = {});

/// Once, for the enrolment in `out_dir`: reports `ipv4` when given (a dotted quad, else
/// Errc::usage), otherwise the address `probe` finds towards the router, otherwise none.
Result<AddressOutcome> update_address(const std::string& out_dir, const std::string& ipv4,
                                      const AddressProbe& probe, const HttpOptions& http = {});

}  // namespace denrol
