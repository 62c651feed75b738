#pragma once
// X.509 NameConstraints (RFC 5280 section 4.2.1.10). Botan 2.19 decodes this extension but cannot
// encode it (its encode_inner throws Not_Implemented), so the CA writes the DER itself.

#include <string>
#include <vector>

#include "core/encode_only_extension.hpp"
#include "core/ipv4.hpp"

namespace rca {

/// A set of GeneralSubtrees limited to the name forms the CA uses: dNSName and IPv4 iPAddress.
struct NameSubtrees {
    std::vector<std::string> dns;  ///< "home.arpa" permits home.arpa and every name below it
    std::vector<Ipv4Subnet> ipv4;  ///< address + mask, as RFC 5280 encodes iPAddress constraints
    bool empty() const { return dns.empty() && ipv4.empty(); }
};

/// The NameConstraints extension as a Botan certificate extension; mark it critical when adding
/// (RFC 5280 requires conforming CAs to, and unaware verifiers must then refuse the root).
class NameConstraintsExtension final : public EncodeOnlyExtension {
  public:
    /// Constraints with the given permitted and excluded subtrees.
    NameConstraintsExtension(NameSubtrees permitted, NameSubtrees excluded);

    Botan::Certificate_Extension* copy() const override;

  private:
    std::vector<uint8_t> encode_inner() const override;

    NameSubtrees permitted_;
    NameSubtrees excluded_;
};

}  // namespace rca
