#include "core/crl_distribution_extension.hpp"

#include <botan/der_enc.h>

namespace rca {
namespace {

// DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL, ... }
// DistributionPointName ::= CHOICE { fullName [0] GeneralNames, ... }. A tagged CHOICE is always
// explicitly tagged (X.680 31.2.7), so [0] wraps [0]; fullName's GeneralNames SEQUENCE is
// implicitly tagged; uniformResourceIdentifier is GeneralName [6] IA5String.
constexpr auto kDistributionPointTag = static_cast<Botan::ASN1_Tag>(0);
constexpr auto kFullNameTag = static_cast<Botan::ASN1_Tag>(0);
constexpr auto kUriTag = static_cast<Botan::ASN1_Tag>(6);

}  // namespace

CrlDistributionExtension::CrlDistributionExtension(std::string uri)
    : EncodeOnlyExtension("2.5.29.31",
                          "X509v3.CRLDistributionPoints"),  // id-ce-cRLDistributionPoints
      uri_(std::move(uri)) {}

Botan::Certificate_Extension* CrlDistributionExtension::copy() const {
    return new CrlDistributionExtension(uri_);
}

std::vector<uint8_t> CrlDistributionExtension::encode_inner() const {
    std::vector<uint8_t> out;
    Botan::DER_Encoder(out)
        .start_cons(Botan::SEQUENCE)
        .start_cons(Botan::SEQUENCE)
        .start_cons(kDistributionPointTag, Botan::CONTEXT_SPECIFIC)
        .start_cons(kFullNameTag, Botan::CONTEXT_SPECIFIC)
        .add_object(kUriTag, Botan::CONTEXT_SPECIFIC, uri_)
        .end_cons()
        .end_cons()
        .end_cons()
        .end_cons();
    return out;
}

}  // namespace rca
