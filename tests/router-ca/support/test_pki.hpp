#pragma once
// Keys, CSRs and a CA made at test time with Botan, so fixtures never go stale.
#include <botan/auto_rng.h>
#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <memory>
#include <string>
#include <vector>

#include "core/ca_hierarchy.hpp"
#include "core/issuer.hpp"
#include "core/time_source.hpp"

namespace rca::test {

/// "p256", "p384", "p521", "brainpool256r1", "ed25519", "rsa1024", "rsa2048".
std::unique_ptr<Botan::Private_Key> make_key(const std::string& type,
                                             Botan::RandomNumberGenerator& rng);

/// A PEM CSR for key; with `ask_for_ca` it requests CA:TRUE, and `dns` names go into its SAN.
std::string make_csr(const Botan::Private_Key& key, Botan::RandomNumberGenerator& rng,
                     bool ask_for_ca = false, const std::vector<std::string>& dns = {});

/// The home policy used by tests: home.arpa, local names on, 192.168.0.0/16 and 10.0.0.0/8.
HomePolicy test_policy();

/// A fresh CA for policy.
CaHierarchy make_test_ca(const HomePolicy& policy, Botan::RandomNumberGenerator& rng,
                         TimePoint now);

/// A CA as router-ca made it before every use was bounded (docs/ca-keys.md): NameConstraints on
/// policy's dNSName and IPv4 subtrees only, no extendedKeyUsage.
CaHierarchy make_old_ca(const HomePolicy& policy, Botan::RandomNumberGenerator& rng, TimePoint now);

/// A clock moved by hand.
class FakeClock final : public TimeSource {
  public:
    explicit FakeClock(TimePoint start) : now_(start) {}
    TimePoint now() const override { return now_; }
    void advance(std::chrono::milliseconds d) { now_ += d; }

  private:
    TimePoint now_;
};

/// A fixed start time for deterministic tests: 2026-01-01T00:00:00Z.
TimePoint test_epoch();

/// What every service test starts from: a real RNG, a hand-moved clock at test_epoch(), the
/// test policy, a fresh CA for it and its issuer.
struct CaWorld {
    Botan::AutoSeeded_RNG rng;
    FakeClock clock{test_epoch()};
    HomePolicy policy = test_policy();
    CaHierarchy ca = make_test_ca(policy, rng, clock.now());
    Issuer issuer{ca.intermediate, ca.root.cert, policy};
};

}  // namespace rca::test
