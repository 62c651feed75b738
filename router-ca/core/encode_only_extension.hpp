#pragma once
// Botan 2.19 decodes NameConstraints and CRLDistributionPoints but cannot encode them (their
// encode_inner throws Not_Implemented). The CA's own extension classes derive from this: they
// write the DER; reading certificates back is left to Botan's classes.
#include <botan/exceptn.h>
#include <botan/x509_ext.h>

#include <string>
#include <vector>

namespace rca {

/// A certificate extension that only encodes.
class EncodeOnlyExtension : public Botan::Certificate_Extension {
  public:
    /// An extension with this OID (dotted) and Botan OID name.
    EncodeOnlyExtension(const char* oid, const char* name) : oid_(oid), name_(name) {}

    Botan::OID oid_of() const override { return Botan::OID(oid_); }
    std::string oid_name() const override { return name_; }
    void contents_to(Botan::Data_Store&, Botan::Data_Store&) const override {}

    /// The extension's value: the DER inside its OCTET STRING.
    std::vector<uint8_t> der() const { return encode_inner(); }

  private:
    void decode_inner(const std::vector<uint8_t>&) override {
        throw Botan::Not_Implemented(name_ + " is decoded by Botan's own extension class");
    }

    const char* oid_;
    std::string name_;
};

}  // namespace rca
