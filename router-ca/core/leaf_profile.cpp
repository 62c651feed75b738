#include "core/leaf_profile.hpp"

#include <botan/x509_ext.h>

#include "core/ca_hierarchy.hpp"
#include "core/certificate_signer.hpp"
#include "core/crl_distribution_extension.hpp"

namespace rca {

Botan::AlternativeName leaf_names(const HomePolicy& policy, const LeafSubject& subject) {
    Botan::AlternativeName names;
    names.add_attribute("DNS", policy.fqdn(subject.label));
    if (policy.local_names) names.add_attribute("DNS", subject.label + "." + kLocalDomain);
    // Botan 2 encodes IPv4 only (architecture brief); the root permits only IPv4 subtrees anyway.
    for (const Ipv4 address : subject.addresses)
        if (policy.is_lan_address(address)) names.add_attribute("IP", address.to_string());
    return names;
}

std::string crl_url_for(const HomePolicy& policy, const Botan::X509_Certificate& issuer) {
    return policy.crl_url + "/" + ca_key_id(issuer);
}

Botan::Extensions leaf_extensions(const HomePolicy& policy, const LeafSubject& subject,
                                  const Botan::X509_Certificate& issuer) {
    Botan::Extensions ext;
    ext.add(new Botan::Cert_Extension::Basic_Constraints(false), true);
    // digitalSignature for (EC)DHE handshakes; keyEncipherment only where RSA key transport could
    // be used (RFC 5280 4.2.1.3; Ed25519/ECDSA keys cannot encipher).
    const auto usage = subject.rsa_key ? Botan::DIGITAL_SIGNATURE | Botan::KEY_ENCIPHERMENT
                                       : Botan::DIGITAL_SIGNATURE;
    ext.add(new Botan::Cert_Extension::Key_Usage(Botan::Key_Constraints(usage)), true);
    // serverAuth for the device's own HTTPS; clientAuth for renewals and address updates over
    // mutual TLS.
    ext.add(new Botan::Cert_Extension::Extended_Key_Usage(
        {Botan::OID::from_string("PKIX.ServerAuth"), Botan::OID::from_string("PKIX.ClientAuth")}));
    // CA/B Forum BR 7.1.2.3 and RFC 6125: the names live in the SAN; it is the only name field
    // browsers read.
    ext.add(new Botan::Cert_Extension::Subject_Alternative_Name(leaf_names(policy, subject)));
    ext.add(new Botan::Cert_Extension::Subject_Key_ID(key_identifier(subject.public_key_info)));
    ext.add(new Botan::Cert_Extension::Authority_Key_ID(issuer.subject_key_id()));
    if (!policy.crl_url.empty()) ext.add(new CrlDistributionExtension(crl_url_for(policy, issuer)));
    return ext;
}

}  // namespace rca
