#pragma once
// The only source of randomness for keys, signatures, tokens and jitter, on the router and on
// the device: the kernel's RNG through getrandom(2) with flags 0, which blocks until the kernel's
// pool is initialised and never falls back to anything seeded from the time or userspace state.
// Both make their first key early after a first boot -- the router its CA, the device its own
// key -- which is when a pool may not be ready yet ("Mining Your Ps and Qs", USENIX Security
// 2012, found routers' keys sharing primes for exactly this reason).
//
// Why not Botan::System_RNG: on Debian 12 (Botan 2.19.3) it reads /dev/urandom (strace: it
// opens /dev/urandom read-write, then reads; getrandom is commented out of Botan 2's
// src/build-data/os/linux.txt), and before Linux 5.18 a read of /dev/urandom returns bytes even
// while the pool is not yet initialised.
#include <functional>
#include <string>

#include <botan/rng.h>

namespace rca::entropy {

/// Random bytes from getrandom(buf, len, 0). Stateless, so safe to share between threads.
class KernelRng final : public Botan::RandomNumberGenerator {
  public:
    /// Makes sure the kernel's pool is initialised before any key is made: probes with
    /// GRND_NONBLOCK and, when that says EAGAIN, tells `say` that it waits and why, blocks until
    /// the pool is ready and tells `say` how long that took. Throws std::runtime_error with a
    /// sentence for the user when the kernel has no getrandom (Linux < 3.17) or it fails:
    /// no key is made from anything weaker.
    void wait_until_ready(const std::function<void(const std::string&)>& say);

    void randomize(uint8_t output[], size_t length) override;
    bool accepts_input() const override { return false; }
    void add_entropy(const uint8_t[], size_t) override {}
    std::string name() const override { return "getrandom"; }
    void clear() override {}
    bool is_seeded() const override { return true; }
};

}  // namespace rca::entropy
