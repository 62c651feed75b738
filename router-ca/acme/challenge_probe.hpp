#pragma once
// Challenge validation (RFC 8555 section 8; RFC 8737 for tls-alpn-01): where the router looks
// for the device that answers for a name, and the probe itself, the one blocking network call
// of the ACME server (through ChallengeValidator). Reads the home zone's devices and the home
// policy; writes nothing: the caller records the outcome.
#include <cstdint>
#include <optional>
#include <string>

#include "acme/acme_problem.hpp"
#include "acme/acme_types.hpp"
#include "acme/challenge_validator.hpp"
#include "core/home_policy.hpp"
#include "core/store.hpp"

namespace rca::acme {

class ChallengeProbe {
  public:
    /// Probes through `validator` on the given ports, for names of `store`'s home `policy`.
    ChallengeProbe(Store& store, const HomePolicy& policy, ChallengeValidator& validator,
                   uint16_t http01_port, uint16_t tls_alpn01_port);

    /// Validates `authz` with challenge `type` (http-01 or tls-alpn-01) for the account whose
    /// key has `thumbprint`; `source` is where the client's request came from. Returns the
    /// address the device answered at, or why it did not (connection or incorrectResponse).
    AcmeResult<Ipv4> validate(const Authorization& authz, const std::string& type,
                              std::optional<Ipv4> source, const std::string& thumbprint);

  private:
    AcmeResult<Ipv4> address_of(const std::string& label, std::optional<Ipv4> source) const;

    Store& store_;
    const HomePolicy& policy_;
    ChallengeValidator& validator_;
    uint16_t http01_port_;
    uint16_t tls_alpn01_port_;
};

}  // namespace rca::acme
