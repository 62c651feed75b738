#pragma once
// What every call the device makes with its current certificate needs (renewal, address
// update): the router's URL and pinned root from the enrolment directory, and the certificate
// chain and key for mutual TLS. Loaded in one place so that each call checks the pin the same way.
#include <string>

#include <botan/x509cert.h>

#include "denrol/endpoint.hpp"
#include "denrol/enrolment_dir.hpp"
#include "denrol/errors.hpp"
#include "denrol/router_client.hpp"

namespace denrol {

/// The device's side of a mutual-TLS connection to its router.
struct DeviceIdentity {
    Endpoint router;               ///< from state.json
    std::string root_pem;          ///< root.pem, the only root trusted for the router
    Botan::X509_Certificate root;  ///< root.pem, parsed
    ClientIdentity client;         ///< chain.pem and key.pem
};

/// Reads root.pem, chain.pem and key.pem for `state`; Errc::local when one is missing or
/// root.pem no longer matches the fingerprint in state.json (someone edited the directory).
Result<DeviceIdentity> load_identity(const EnrolmentDir& dir, const DeviceState& state);

}  // namespace denrol
