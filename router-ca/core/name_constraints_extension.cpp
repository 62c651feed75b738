#include "core/name_constraints_extension.hpp"

#include <botan/der_enc.h>

#include <algorithm>

namespace rca {
namespace {

// GeneralName CHOICE tags, RFC 5280 section 4.2.1.6 (implicitly tagged).
constexpr auto kRfc822NameTag = static_cast<Botan::ASN1_Tag>(1);
constexpr auto kDnsNameTag = static_cast<Botan::ASN1_Tag>(2);
constexpr auto kUriTag = static_cast<Botan::ASN1_Tag>(6);
constexpr auto kIpAddressTag = static_cast<Botan::ASN1_Tag>(7);
// NameConstraints fields: permittedSubtrees [0], excludedSubtrees [1].
constexpr auto kPermittedTag = static_cast<Botan::ASN1_Tag>(0);
constexpr auto kExcludedTag = static_cast<Botan::ASN1_Tag>(1);

void put_be32(uint8_t* out, uint32_t v) {
    out[0] = static_cast<uint8_t>(v >> 24);
    out[1] = static_cast<uint8_t>(v >> 16);
    out[2] = static_cast<uint8_t>(v >> 8);
    out[3] = static_cast<uint8_t>(v);
}

void encode_names(Botan::DER_Encoder& der, Botan::ASN1_Tag tag,
                  const std::vector<std::string>& names) {
    for (const auto& name : names)
        der.start_cons(Botan::SEQUENCE).add_object(tag, Botan::CONTEXT_SPECIFIC, name).end_cons();
}

void encode_address(Botan::DER_Encoder& der, const uint8_t* octets, size_t size) {
    der.start_cons(Botan::SEQUENCE)
        .add_object(kIpAddressTag, Botan::CONTEXT_SPECIFIC, octets, size)
        .end_cons();
}

// GeneralSubtrees ::= SEQUENCE OF GeneralSubtree; GeneralSubtree ::= SEQUENCE { base GeneralName,
// minimum [0] DEFAULT 0, maximum [1] OPTIONAL }. minimum is left at its default and maximum absent,
// as RFC 5280 requires of conforming CAs.
// The forms go in GeneralName tag order; roots made before rfc822Name, URI and IPv6 were added
// hold dNSName then IPv4, which still encode exactly as then.
void encode_subtrees(Botan::DER_Encoder& der, Botan::ASN1_Tag tag, const NameSubtrees& trees) {
    der.start_cons(tag, Botan::CONTEXT_SPECIFIC);
    encode_names(der, kRfc822NameTag, trees.email);
    encode_names(der, kDnsNameTag, trees.dns);
    encode_names(der, kUriTag, trees.uri);
    for (const auto& subnet : trees.ipv4) {
        // The OCTET STRING is the address followed by the mask (RFC 5280 4.2.1.10): 4 + 4 octets
        // for IPv4, 16 + 16 for IPv6.
        uint8_t octets[8];
        put_be32(octets, subnet.network.value);
        put_be32(octets + 4, subnet.mask());
        encode_address(der, octets, sizeof octets);
    }
    for (const auto& subnet : trees.ipv6) {
        uint8_t octets[32];
        const auto mask = subnet.mask();
        std::copy(subnet.network.begin(), subnet.network.end(), octets);
        std::copy(mask.begin(), mask.end(), octets + 16);
        encode_address(der, octets, sizeof octets);
    }
    der.end_cons();
}

}  // namespace

NameConstraintsExtension::NameConstraintsExtension(NameSubtrees permitted, NameSubtrees excluded)
    : EncodeOnlyExtension("2.5.29.30", "X509v3.NameConstraints"),  // id-ce-nameConstraints
      permitted_(std::move(permitted)),
      excluded_(std::move(excluded)) {}

Botan::Certificate_Extension* NameConstraintsExtension::copy() const {
    return new NameConstraintsExtension(permitted_, excluded_);
}

std::vector<uint8_t> NameConstraintsExtension::encode_inner() const {
    std::vector<uint8_t> out;
    Botan::DER_Encoder der(out);
    der.start_cons(Botan::SEQUENCE);
    if (!permitted_.empty()) encode_subtrees(der, kPermittedTag, permitted_);
    if (!excluded_.empty()) encode_subtrees(der, kExcludedTag, excluded_);
    der.end_cons();
    return out;
}

}  // namespace rca
