#include "acme/challenge_probe.hpp"

#include <botan/hash.h>

#include <vector>

#include "acme/acme_views.hpp"

namespace rca::acme {

ChallengeProbe::ChallengeProbe(Store& store, const HomePolicy& policy,
                               ChallengeValidator& validator, uint16_t http01_port,
                               uint16_t tls_alpn01_port)
    : store_(store),
      policy_(policy),
      validator_(validator),
      http01_port_(http01_port),
      tls_alpn01_port_(tls_alpn01_port) {}

AcmeResult<Ipv4> ChallengeProbe::address_of(const std::string& label,
                                            std::optional<Ipv4> source) const {
    // Where the name resolves in the home zone; a name not there yet resolves to the client that
    // asks, which on a home LAN is the device itself.
    std::optional<Ipv4> address;
    const auto device = store_.find_device_by_name(label);
    if (device && !device->revoked_at && device->ipv4) address = device->ipv4;
    if (!address) address = source;
    if (!address)
        return problem(ProblemType::connection, "the router cannot tell where " + label +
                                                    " is: it is not in the home zone "
                                                    "and the request did not come over IPv4");
    if (!policy_.is_lan_address(*address))
        return problem(ProblemType::connection, "the router validates on its own LAN only, and " +
                                                    address->to_string() +
                                                    " is outside the LAN subnets");
    return *address;
}

AcmeResult<Ipv4> ChallengeProbe::validate(const Authorization& authz, const std::string& type,
                                          std::optional<Ipv4> source,
                                          const std::string& thumbprint) {
    auto address = address_of(authz.label, source);
    if (!address) return address.error();
    // The key authorization (section 8.1) is what the device proves it was given.
    const std::string key_authorization = authz.token + "." + thumbprint;
    ProbeOutcome outcome;
    if (type == kHttp01) {
        outcome = validator_.check_http01(
            {authz.identifier, address.value(), http01_port_, authz.token, key_authorization});
    } else {
        const auto hash = Botan::HashFunction::create_or_throw("SHA-256");
        const auto digest = hash->process(key_authorization);
        outcome = validator_.check_tls_alpn01({authz.identifier, address.value(), tls_alpn01_port_,
                                               std::vector<uint8_t>(digest.begin(), digest.end())});
    }
    if (!outcome.ok())
        return problem(outcome.error.type == "connection" ? ProblemType::connection
                                                          : ProblemType::incorrect_response,
                       outcome.error.detail);
    return address.value();
}

}  // namespace rca::acme
