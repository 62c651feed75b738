#pragma once
// X.509 NameConstraints (RFC 5280 section 4.2.1.10). Botan 2.19 decodes this extension but cannot
// encode it (its encode_inner throws Not_Implemented), so the CA writes the DER itself.

#include <string>
#include <vector>

#include "core/encode_only_extension.hpp"
#include "core/ipv4.hpp"
#include "core/ipv6.hpp"

namespace rca {

/// A set of GeneralSubtrees in the name forms a leaf could carry (RFC 5280 4.2.1.10). Never
/// directoryName or otherName: Go refuses certificates whose constraints name them (an unhandled
/// critical extension to it).
struct NameSubtrees {
    std::vector<std::string> dns;  ///< "home.arpa" permits home.arpa and every name below it
    /// rfc822Name: "home.arpa" permits mailboxes at that host, ".home.arpa" at any host below it
    std::vector<std::string> email;
    /// uniformResourceIdentifier: the same host forms, applied to the URI's host part
    std::vector<std::string> uri;
    std::vector<Ipv4Subnet> ipv4;  ///< address + mask, as RFC 5280 encodes iPAddress constraints
    std::vector<Ipv6Subnet> ipv6;  ///< the same, 16 + 16 octets
    bool empty() const {
        return dns.empty() && email.empty() && uri.empty() && ipv4.empty() && ipv6.empty();
    }
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
