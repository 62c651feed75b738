#pragma once
// Telling the router this device's LAN address (PUT /api/v1/address over mutual TLS with the
// current certificate), so that its DNS answers <name>.<domain> with where the device is now
// (architecture brief, After onboarding). `device-enrol address` does it once; `run` does it
// whenever the address changes (address_watch.hpp).
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

/// Sends `ipv4` ("" to let the router take the connection's source address) for the enrolment
/// described by `state`, and records it in state.json as reported_ipv4 on success.
Result<AddressOutcome> report_address(const EnrolmentDir& dir, const DeviceState& state,
                                      const std::string& ipv4, const HttpTimeouts& http = {});

/// Once, for the enrolment in `out_dir`: sends `ipv4` when given (a dotted quad, else
/// Errc::usage), otherwise the address `probe` finds towards the router, otherwise none.
Result<AddressOutcome> update_address(const std::string& out_dir, const std::string& ipv4,
                                      const AddressProbe& probe, const HttpTimeouts& http = {});

}  // namespace denrol
