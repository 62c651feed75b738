#include "core/ca_hierarchy.hpp"

#include <botan/ecdsa.h>
#include <botan/hex.h>

#include "core/certificate_signer.hpp"

namespace rca {
namespace {

using std::chrono::hours;

constexpr auto kCaBackdate = hours(1);  // tolerate devices whose clocks run a little behind

// The purposes of every certificate the router's CA signs: TLS servers (devices' pages) and TLS
// clients (mutual-TLS renewal). Windows, OpenSSL, NSS, Go and Chrome apply a CA certificate's
// extendedKeyUsage to the chain below it, and Windows trusts an imported root for every purpose
// (code signing, S/MIME) unless the root itself limits them.
std::vector<Botan::OID> ca_key_purposes() {
    return {Botan::OID::from_string("PKIX.ServerAuth"), Botan::OID::from_string("PKIX.ClientAuth")};
}

// What roots made before every use was bounded constrain: the same domain and subnets, dNSName and
// IPv4 only. They are still loaded (docs/ca-keys.md says what an existing router gets).
NameSubtrees dns_and_ipv4_names(const HomePolicy& policy) {
    const auto all = home_constraints(policy).permitted;
    NameSubtrees names;
    names.dns = all.dns;
    names.ipv4 = all.ipv4;
    return names;
}

std::vector<uint8_t> constraints_der(const HomeConstraints& c) {
    return NameConstraintsExtension(c.permitted, c.excluded).der();
}

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
    // Non-critical, as RFC 5280 4.2.1.12 allows and the CA/Browser Forum asks of CAs (BR 7.1.2):
    // verifiers that apply it to the chain know it; the others still see NameConstraints.
    ext.add(new Botan::Cert_Extension::Extended_Key_Usage(ca_key_purposes()));
    const auto constraints = home_constraints(policy);
    ext.add(new NameConstraintsExtension(constraints.permitted, constraints.excluded), true);
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

HomeConstraints home_constraints(const HomePolicy& policy) {
    HomeConstraints c;
    c.permitted.dns.push_back(policy.domain);
    if (policy.local_names) c.permitted.dns.push_back(kLocalDomain);
    // RFC 5280 4.2.1.10: an rfc822Name or URI constraint "host" matches that host only and
    // ".host" every host below it, so both are needed to match what the dNSName one does.
    for (auto* forms : {&c.permitted.email, &c.permitted.uri})
        *forms = {policy.domain, "." + policy.domain};
    c.permitted.ipv4 = policy.lan_subnets;
    c.permitted.ipv6 = policy.lan_subnets6;
    // A permitted IPv4 subtree already keeps IPv6 out in OpenSSL, NSS and Go (an address of
    // another length matches no subtree), but not in every verifier: say it outright.
    if (policy.lan_subnets6.empty()) c.excluded.ipv6.push_back(all_ipv6());
    return c;
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

TimePoint rotation_due_at(const Botan::X509_Certificate& intermediate, const HomePolicy& policy) {
    const auto start = to_time_point(intermediate.not_before());
    // A leaf it signs may name any e-mail address, URI or IPv6 address and serve any purpose
    // (S/MIME, code signing): replace it now, not in a year and a half.
    const auto bounds = check_constraints_match(intermediate, policy);
    if (bounds && bounds.value() == CaBounds::dns_and_ipv4) return start;
    const auto end = to_time_point(intermediate.not_after());
    return start + (end - start) * 3 / 4;
}

Result<CaBounds> check_constraints_match(const Botan::X509_Certificate& ca,
                                         const HomePolicy& policy) {
    const auto& extensions = ca.v3_extensions();
    // Compared as DER: Botan 2 cannot decode IPv6 subtrees (it keeps the extension as an unknown
    // one), but it keeps every extension's bytes.
    const auto actual = extensions.get_extension_bits(Botan::OID("2.5.29.30"));
    if (actual == constraints_der(home_constraints(policy)) &&
        ca.extended_key_usage() == ca_key_purposes())
        return CaBounds::every_use;
    if (actual == constraints_der({dns_and_ipv4_names(policy), {}})) return CaBounds::dns_and_ipv4;
    std::string want;
    for (const auto& d : home_constraints(policy).permitted.dns) want += " DNS:" + d;
    for (const auto& s : policy.lan_subnets) want += " IP:" + s.to_string();
    for (const auto& s : policy.lan_subnets6) want += " IP:" + s.to_string();
    return fail(Errc::policy_denied,
                "the CA certificate '" + ca.subject_dn().get_first_attribute("CN") +
                    "' was made with other name constraints than the configuration asks for (" +
                    want.substr(1) +
                    "); start with the domain, --lan-subnet, --lan-subnet6 and local-name options "
                    "it was made with, or move the data directory aside to make a new CA");
}

}  // namespace rca
