#include "support/test_pki.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs10.h>
#include <botan/pubkey.h>
#include <botan/x509_ca.h>
#include <botan/x509_crl.h>
#include <botan/x509_ext.h>
#include <botan/x509self.h>

#include "common/x509_time.hpp"

namespace denrol_test {
namespace {

using std::chrono::hours;

std::unique_ptr<Botan::Private_Key> p256(Botan::RandomNumberGenerator& rng) {
    return std::make_unique<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
}

Botan::X509_Cert_Options ca_options(const std::string& cn, size_t path_limit) {
    Botan::X509_Cert_Options opts(cn, 10 * 365 * 24 * 3600);
    opts.not_before(Botan::X509_Time(std::chrono::system_clock::now() - hours(24)).to_string());
    opts.CA_key(path_limit);
    return opts;
}

}  // namespace

TestPki::TestPki(Botan::RandomNumberGenerator& rng, const std::string& root_cn)
    : rng_(rng),
      root_key_(p256(rng)),
      intermediate_key_(p256(rng)),
      root_(
          Botan::X509::create_self_signed_cert(ca_options(root_cn, 1), *root_key_, "SHA-256", rng)),
      intermediate_([&] {
          const auto req = Botan::X509::create_cert_req(ca_options("Test Issuing CA", 0),
                                                        *intermediate_key_, "SHA-256", rng);
          const Botan::X509_CA ca(root_, *root_key_, "SHA-256", rng);
          const auto now = std::chrono::system_clock::now();
          return ca.sign_request(req, rng, Botan::X509_Time(now - hours(24)),
                                 Botan::X509_Time(now + hours(24 * 365 * 5)));
      }()) {}

Botan::X509_Certificate TestPki::issue_leaf(const Botan::Public_Key& key, const std::string& dns,
                                            const std::string& ip, denrol::TimePoint not_before,
                                            denrol::TimePoint not_after) {
    Botan::Extensions ext;
    ext.add(new Botan::Cert_Extension::Basic_Constraints(false));
    ext.add(new Botan::Cert_Extension::Subject_Alternative_Name(
        Botan::AlternativeName("", "", dns, ip)));
    ext.add(new Botan::Cert_Extension::Extended_Key_Usage(std::vector<Botan::OID>{
        Botan::OID::from_string("PKIX.ServerAuth"), Botan::OID::from_string("PKIX.ClientAuth")}));
    Botan::X509_DN subject;
    subject.add_attribute("X520.CommonName", dns.empty() ? ip : dns);
    Botan::AlgorithmIdentifier sig_algo;
    std::unique_ptr<Botan::PK_Signer> signer(
        Botan::choose_sig_format(*intermediate_key_, rng_, "SHA-256", sig_algo));
    return Botan::X509_CA::make_cert(signer.get(), rng_, sig_algo, key.subject_public_key(),
                                     rca::to_x509_time(not_before), rca::to_x509_time(not_after),
                                     intermediate_.subject_dn(), subject, ext);
}

std::string TestPki::chain_pem(const Botan::X509_Certificate& leaf) const {
    return leaf.PEM_encode() + intermediate_.PEM_encode();
}

namespace {

std::string crl_der_by(const Botan::X509_Certificate& issuer, const Botan::Private_Key& key,
                       const std::vector<Botan::X509_Certificate>& revoked,
                       denrol::TimePoint this_update, std::chrono::seconds lifetime,
                       Botan::RandomNumberGenerator& rng) {
    const Botan::X509_CA ca(issuer, key, "SHA-256", rng);
    std::vector<Botan::CRL_Entry> entries;
    for (const auto& cert : revoked) entries.emplace_back(cert, Botan::CRL_Code::KEY_COMPROMISE);
    const auto empty = ca.new_crl(rng, this_update, lifetime);
    const auto crl = ca.update_crl(empty, entries, rng, this_update, lifetime);
    const auto der = crl.BER_encode();
    return std::string(der.begin(), der.end());
}

}  // namespace

std::string TestPki::crl_der(const std::vector<Botan::X509_Certificate>& revoked,
                             denrol::TimePoint this_update, std::chrono::seconds lifetime) const {
    return crl_der_by(intermediate_, *intermediate_key_, revoked, this_update, lifetime, rng_);
}

std::string TestPki::forged_crl_der(denrol::TimePoint this_update,
                                    std::chrono::seconds lifetime) const {
    // A CA certificate with the intermediate's name and another key: what a forger can make.
    const auto key = p256(rng_);
    const auto fake = Botan::X509::create_self_signed_cert(ca_options("Test Issuing CA", 0), *key,
                                                           "SHA-256", rng_);
    return crl_der_by(fake, *key, {}, this_update, lifetime, rng_);
}

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "denrol-test.XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void spit(const std::string& path, const std::string& contents) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << contents;
}

}  // namespace denrol_test
