#include "support/test_pki.hpp"

#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/rsa.h>
#include <botan/x509self.h>

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

TimePoint test_epoch() { return TimePoint(std::chrono::seconds(1767225600)); }

}  // namespace rca::test
