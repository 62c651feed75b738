#include "support/test_pki.hpp"

#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/rsa.h>
#include <botan/x509self.h>

#include "core/certificate_signer.hpp"
#include "core/name_constraints_extension.hpp"

namespace rca::test {

std::unique_ptr<Botan::Private_Key> make_key(const std::string& type,
                                             Botan::RandomNumberGenerator& rng) {
    if (type == "p256")
        return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
    if (type == "p384")
        return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp384r1"));
    if (type == "p521")
        return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp521r1"));
    if (type == "brainpool256r1")
        return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("brainpool256r1"));
    if (type == "ed25519") return std::make_unique<Botan::Ed25519_PrivateKey>(rng);
    if (type == "rsa1024") return std::make_unique<Botan::RSA_PrivateKey>(rng, 1024);
    if (type == "rsa2048") return std::make_unique<Botan::RSA_PrivateKey>(rng, 2048);
    throw std::invalid_argument("unknown key type " + type);
}

std::string make_csr(const Botan::Private_Key& key, Botan::RandomNumberGenerator& rng,
                     bool ask_for_ca, const std::vector<std::string>& dns) {
    Botan::X509_Cert_Options opts("www.bank.example");
    if (ask_for_ca) opts.CA_key(5);
    for (const auto& d : dns) opts.more_dns.push_back(d);
    const std::string hash = key.algo_name() == "Ed25519" ? "Pure" : "SHA-256";
    return Botan::X509::create_cert_req(opts, key, hash, rng).PEM_encode();
}

HomePolicy test_policy() {
    HomePolicy p;
    p.lan_subnets = {*Ipv4Subnet::parse("192.168.0.0/16"), *Ipv4Subnet::parse("10.0.0.0/8")};
    p.crl_url = "https://router.home.arpa:8443/crl";
    return p;
}

CaHierarchy make_test_ca(const HomePolicy& policy, Botan::RandomNumberGenerator& rng,
                         TimePoint now) {
    CaHierarchy ca;
    ca.root = make_root(policy, rng, now);
    ca.intermediate = make_intermediate(ca.root, policy, rng, now);
    return ca;
}

namespace {

// One CA certificate of the old profile: basicConstraints, keyUsage, key ids, NameConstraints.
CaKey make_old_ca_cert(const HomePolicy& policy, const CaKey* issuer, size_t path_len,
                       const std::string& cn, Botan::RandomNumberGenerator& rng, TimePoint now,
                       int days) {
    auto key = std::shared_ptr<Botan::Private_Key>(make_key("p256", rng));
    CertificateSpec spec;
    spec.subject.add_attribute("X520.CommonName", cn);
    spec.public_key_info = key->subject_public_key();
    spec.serial = random_serial(rng);
    spec.not_before = now - std::chrono::hours(1);
    spec.not_after = now + std::chrono::hours(24 * days);
    const auto key_id = key_identifier(spec.public_key_info);
    spec.extensions.add(new Botan::Cert_Extension::Basic_Constraints(true, path_len), true);
    spec.extensions.add(new Botan::Cert_Extension::Key_Usage(
                            Botan::Key_Constraints(Botan::KEY_CERT_SIGN | Botan::CRL_SIGN)),
                        true);
    spec.extensions.add(new Botan::Cert_Extension::Subject_Key_ID(key_id));
    spec.extensions.add(new Botan::Cert_Extension::Authority_Key_ID(
        issuer ? issuer->cert.subject_key_id() : key_id));
    NameSubtrees names;
    names.dns = {policy.domain};
    if (policy.local_names) names.dns.push_back(kLocalDomain);
    names.ipv4 = policy.lan_subnets;
    spec.extensions.add(new NameConstraintsExtension(names, {}), true);
    const auto& signer = issuer ? *issuer->key : *key;
    return CaKey{
        sign_certificate(spec, issuer ? issuer->cert.subject_dn() : spec.subject, signer, rng),
        key};
}

}  // namespace

CaHierarchy make_old_ca(const HomePolicy& policy, Botan::RandomNumberGenerator& rng,
                        TimePoint now) {
    CaHierarchy ca;
    ca.root = make_old_ca_cert(policy, nullptr, 1, "old root", rng, now, kRootDays);
    ca.intermediate = make_old_ca_cert(policy, &ca.root, 0, "issuing-old." + policy.domain, rng,
                                       now, kIntermediateDays);
    return ca;
}

TimePoint test_epoch() { return TimePoint(std::chrono::seconds(1767225600)); }

}  // namespace rca::test
