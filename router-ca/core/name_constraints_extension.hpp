#pragma once
// X.509 NameConstraints (RFC 5280 section 4.2.1.10). Botan 2.19 decodes this extension but cannot
// encode it (its encode_inner throws Not_Implemented), so the CA writes the DER itself.
#include <botan/x509_ext.h>

#include <string>
#include <vector>

#include "core/ipv4.hpp"

namespace rca {

/// A set of GeneralSubtrees limited to the name forms the CA uses: dNSName and IPv4 iPAddress.
struct NameSubtrees {
    std::vector<std::string> dns;   ///< "home.arpa" permits home.arpa and every name below it
    std::vector<Ipv4Subnet> ipv4;  ///< address + mask, as RFC 5280 encodes iPAddress constraints
    bool empty() const { return dns.empty() && ipv4.empty(); }
};

/// The NameConstraints extension as a Botan certificate extension; mark it critical when adding
/// (RFC 5280 requires conforming CAs to, and unaware verifiers must then refuse the root).
class NameConstraintsExtension final : public Botan::Certificate_Extension {
public:
    /// Constraints with the given permitted and excluded subtrees.
    NameConstraintsExtension(NameSubtrees permitted, NameSubtrees excluded);

    /// id-ce-nameConstraints, 2.5.29.30.
    Botan::OID oid_of() const override;
    std::string oid_name() const override { return "X509v3.NameConstraints"; }
    Botan::Certificate_Extension* copy() const override;
    void contents_to(Botan::Data_Store&, Botan::Data_Store&) const override {}

    /// The extension's value (the DER of the NameConstraints SEQUENCE).
    std::vector<uint8_t> der() const { return encode_inner(); }

private:
    std::vector<uint8_t> encode_inner() const override;
    void decode_inner(const std::vector<uint8_t>&) override;

    NameSubtrees permitted_;
    NameSubtrees excluded_;
};

}  // namespace rca
