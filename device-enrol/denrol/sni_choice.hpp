#pragma once
// Which certificate a server on the device presents: the public one for its public alias, the
// local one for everything else (a client that sends no server name, the home name, an address).
// Pure, so the choice is unit-tested apart from the TLS plumbing in demo_server.cpp.
#include <string>

namespace denrol {

/// The two certificates a device may hold.
enum class ServedCertificate {
    local,         ///< chain.pem + key.pem, from the home root
    public_alias,  ///< public-chain.pem + public-key.pem, from a public CA through HQ
};

/// The certificate for a ClientHello's server name `sni` ("" when the client sent none):
/// public_alias exactly when `public_name` is not empty and equals `sni` ignoring ASCII case (DNS
/// names compare so: RFC 4343; SNI carries no trailing dot: RFC 6066 section 3).
ServedCertificate certificate_for_sni(const std::string& sni, const std::string& public_name);

}  // namespace denrol
