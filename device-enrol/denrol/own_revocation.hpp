#pragma once
// Whether the router has revoked this device's own certificate. The router already refuses a
// revoked certificate for renewal; this tells the user why and what to do before that happens.
#include <string>

#include "denrol/enrolment_dir.hpp"
#include "denrol/errors.hpp"
#include "denrol/revocation_list.hpp"
#include "denrol/router_client.hpp"

namespace denrol {

/// Fetches the CRL for the device's certificate (its distribution point, else the router's /crl)
/// into DIR/crl.pem, then looks the certificate up in it at `now`.
Result<RevocationCheck> refresh_own_revocation(const EnrolmentDir& dir, const DeviceState& state,
                                               TimePoint now, const HttpOptions& http = {});

/// Looks the certificate up in DIR/crl.pem only, without the network (for `status`).
RevocationCheck cached_own_revocation(const EnrolmentDir& dir, TimePoint now);

/// One sentence about `check` for certificate `serial`, saying what to do when it is revoked.
std::string describe_revocation(const RevocationCheck& check, const std::string& serial);

}  // namespace denrol
