#include "core/ca_hierarchy.hpp"

#include <botan/ecdsa.h>
#include <botan/hex.h>

#include "core/certificate_signer.hpp"

namespace rca {
namespace {

using std::chrono::hours;

constexpr auto kCaBackdate = hours(1);  // tolerate devices whose clocks run a little behind

Botan::Extensions ca_extensions(const HomePolicy& policy, size_t path_len,
                                const std::vector<uint8_t>& subject_key_id,
                                const std::vector<uint8_t>& authority_key_id) {
    Botan::Extensions ext;
    // RFC 5280 4.2.1.9: basicConstraints critical in CA certificates; pathlen 1 on the root lets
    // exactly one intermediate sit below it, 0 on the intermediate forbids further CAs.
    ext.add(new Botan::Cert_Extension::Basic_Constraints(true, path_len), true);
    ext.add(new Botan::Cert_Extension::Key_Usage(
                Botan::Key_Constraints(Botan::KEY_CERT_SIGN | Botan::CRL_SIGN)),
            true);
    ext.add(new Botan::Cert_Extension::Subject_Key_ID(subject_key_id));
    ext.add(new Botan::Cert_Extension::Authority_Key_ID(authority_key_id));
    ext.add(new NameConstraintsExtension(permitted_names(policy), {}), true);
    return ext;
}

Botan::X509_DN ca_dn(const std::string& common_name) {
    Botan::X509_DN dn;
    dn.add_attribute("X520.CommonName", common_name);
    dn.add_attribute("X520.Organization", "router-ca");
    return dn;
}

// A short random tag in the CN keeps two homes' roots apart in trust-store UIs, and keeps NSS from
// confusing two roots with the same subject.
std::string random_tag(Botan::RandomNumberGenerator& rng) {
    uint8_t b[3];
    rng.randomize(b, sizeof b);
    return Botan::hex_encode(b, sizeof b, false);
}

}  // namespace

NameSubtrees permitted_names(const HomePolicy& policy) {
    NameSubtrees names;
    names.dns.push_back(policy.domain);
    if (policy.local_names) names.dns.push_back(kLocalDomain);
    names.ipv4 = policy.lan_subnets;
    return names;
}

CaKey make_root(const HomePolicy& policy, Botan::RandomNumberGenerator& rng, TimePoint now) {
    auto key = std::make_shared<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
    const auto spki = key->subject_public_key();
    const auto key_id = key_identifier(spki);
    CertificateSpec spec;
    spec.subject = ca_dn("router-ca root " + policy.domain + " " + random_tag(rng));
    spec.public_key_info = spki;
    spec.serial = random_serial(rng);
    spec.not_before = now - kCaBackdate;
    spec.not_after = now + hours(24 * kRootDays);
    spec.extensions = ca_extensions(policy, 1, key_id, key_id);
    return CaKey{sign_certificate(spec, spec.subject, *key, rng), key};
}

CaKey make_intermediate(const CaKey& root, const HomePolicy& policy,
                        Botan::RandomNumberGenerator& rng, TimePoint now) {
    auto key = std::make_shared<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
    const auto spki = key->subject_public_key();
    CertificateSpec spec;
    // The intermediate is itself checked against the root's constraints, and verifiers such as
    // Botan 2 read its CN as a dNSName when it has no SAN: so its CN is a name inside the home.
    spec.subject = ca_dn("issuing-" + random_tag(rng) + "." + policy.domain);
    spec.public_key_info = spki;
    spec.serial = random_serial(rng);
    spec.not_before = now - kCaBackdate;
    // Never outlive the root: verifiers reject a chain once any link has expired.
    spec.not_after =
        std::min(now + hours(24 * kIntermediateDays), to_time_point(root.cert.not_after()));
    spec.extensions = ca_extensions(policy, 0, key_identifier(spki), root.cert.subject_key_id());
    return CaKey{sign_certificate(spec, root.cert.subject_dn(), *root.key, rng), key};
}

std::string ca_key_id(const Botan::X509_Certificate& ca) {
    return Botan::hex_encode(ca.subject_key_id(), false);
}

TimePoint rotation_due_at(const Botan::X509_Certificate& intermediate) {
    const auto start = to_time_point(intermediate.not_before());
    const auto end = to_time_point(intermediate.not_after());
    return start + (end - start) * 3 / 4;
}

std::optional<Error> check_constraints_match(const Botan::X509_Certificate& ca,
                                             const HomePolicy& policy) {
    const NameConstraintsExtension expected(permitted_names(policy), {});
    const auto actual = ca.v3_extensions().get_extension_bits(expected.oid_of());
    if (actual == expected.der()) return std::nullopt;
    std::string want;
    for (const auto& d : permitted_names(policy).dns) want += " DNS:" + d;
    for (const auto& s : policy.lan_subnets) want += " IP:" + s.to_string();
    return fail(Errc::policy_denied,
                "the CA certificate '" + ca.subject_dn().get_first_attribute("CN") +
                    "' was made with other name constraints than the configuration asks for (" +
                    want.substr(1) +
                    "); start with the domain, --lan-subnet and local-name options it was made "
                    "with, or move the data directory aside to make a new CA");
}

}  // namespace rca
