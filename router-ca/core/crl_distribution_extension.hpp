#pragma once
// X.509 CRLDistributionPoints (RFC 5280 section 4.2.1.13) with one URI. Botan 2.19 decodes this
// extension but cannot encode it, so the CA writes the DER itself.
#include <botan/x509_ext.h>

#include <string>

namespace rca {

/// A CRLDistributionPoints extension naming one HTTP(S) URI where the issuer's CRL is served.
class CrlDistributionExtension final : public Botan::Certificate_Extension {
public:
    /// One distribution point whose fullName is this URI.
    explicit CrlDistributionExtension(std::string uri);

    /// id-ce-cRLDistributionPoints, 2.5.29.31.
    Botan::OID oid_of() const override;
    std::string oid_name() const override { return "X509v3.CRLDistributionPoints"; }
    Botan::Certificate_Extension* copy() const override;
    void contents_to(Botan::Data_Store&, Botan::Data_Store&) const override {}

    /// The extension's value (DER).
    std::vector<uint8_t> der() const { return encode_inner(); }

private:
    std::vector<uint8_t> encode_inner() const override;
    void decode_inner(const std::vector<uint8_t>&) override;

    std::string uri_;
};

}  // namespace rca
