#pragma once
// X.509 CRLDistributionPoints (RFC 5280 section 4.2.1.13) with one URI. Botan 2.19 decodes this
// extension but cannot encode it, so the CA writes the DER itself.

#include <string>

#include "core/encode_only_extension.hpp"

namespace rca {

/// A CRLDistributionPoints extension naming one HTTP(S) URI where the issuer's CRL is served.
class CrlDistributionExtension final : public EncodeOnlyExtension {
  public:
    /// One distribution point whose fullName is this URI.
    explicit CrlDistributionExtension(std::string uri);

    Botan::Certificate_Extension* copy() const override;

  private:
    std::vector<uint8_t> encode_inner() const override;

    std::string uri_;
};

}  // namespace rca
