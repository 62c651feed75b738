#pragma once
// A root, an intermediate and leaves made with Botan, shaped like router-ca's hierarchy (minus
// the name constraints, which Botan 2 cannot encode), for the fake router and the unit tests.
#include <memory>
#include <string>
#include <vector>

#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include "denrol/time_text.hpp"

namespace denrol_test {

/// A test CA hierarchy, valid from a day ago for ten years.
class TestPki {
  public:
    /// Makes the root and intermediate keys and certificates (ECDSA P-256).
    explicit TestPki(Botan::RandomNumberGenerator& rng,
                     const std::string& root_cn = "Test Home Root");

    /// The root certificate, PEM.
    std::string root_pem() const { return root_.PEM_encode(); }
    /// The root certificate.
    const Botan::X509_Certificate& root() const { return root_; }

    /// A leaf for `key` naming `dns` and `ip` (either may be ""), signed by the intermediate,
    /// valid [not_before, not_after].
    Botan::X509_Certificate issue_leaf(const Botan::Public_Key& key, const std::string& dns,
                                       const std::string& ip, denrol::TimePoint not_before,
                                       denrol::TimePoint not_after);

    /// leaf + intermediate, PEM.
    std::string chain_pem(const Botan::X509_Certificate& leaf) const;

    /// A CRL signed by the intermediate listing `revoked`, issued at `this_update` and current
    /// for `lifetime`, DER as the router serves it.
    std::string crl_der(const std::vector<Botan::X509_Certificate>& revoked,
                        denrol::TimePoint this_update, std::chrono::seconds lifetime) const;

    /// The same CRL signed by another key under the intermediate's name (a forgery).
    std::string forged_crl_der(denrol::TimePoint this_update, std::chrono::seconds lifetime) const;

  private:
    Botan::RandomNumberGenerator& rng_;
    std::unique_ptr<Botan::Private_Key> root_key_;
    std::unique_ptr<Botan::Private_Key> intermediate_key_;
    Botan::X509_Certificate root_;
    Botan::X509_Certificate intermediate_;
};

/// A temporary directory, removed with everything in it.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// The directory.
    const std::string& path() const { return path_; }
    /// path()/name.
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

/// Reads a file whole (empty when missing).
std::string slurp(const std::string& path);

/// Writes a file (test set-up only; not atomic).
void spit(const std::string& path, const std::string& contents);

}  // namespace denrol_test
