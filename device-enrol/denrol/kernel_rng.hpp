#pragma once
// The device's only source of randomness for keys, CSR signatures and renewal jitter: the
// kernel's RNG through getrandom(2) with flags 0, which blocks until the kernel's pool is
// initialised and never falls back to anything seeded from the time or userspace state.
//
// Why not Botan::System_RNG, which the device used before: on Debian 12 (Botan 2.19.3) it reads
// /dev/urandom (strace: it opens /dev/urandom read-write, then reads; getrandom is commented out
// of Botan 2's src/build-data/os/linux.txt), and before Linux 5.18 a read of /dev/urandom returns
// bytes even while the pool is not yet initialised -- exactly the cold first boot in which a
// device makes its first key.
#include <string>

#include <botan/rng.h>

#include "denrol/errors.hpp"
#include "denrol/log.hpp"

namespace denrol {

/// Random bytes from getrandom(buf, len, 0).
class KernelRng final : public Botan::RandomNumberGenerator {
  public:
    /// Makes sure the kernel's pool is initialised before any key is made: probes with
    /// GRND_NONBLOCK and, when that says EAGAIN, logs that it waits and why, blocks until the
    /// pool is ready and logs how long that took. Errc::local when the kernel has no getrandom
    /// (Linux < 3.17): no key is made from anything weaker.
    Result<Done> wait_until_ready(const Log& log);

    void randomize(uint8_t output[], size_t length) override;
    bool accepts_input() const override { return false; }
    void add_entropy(const uint8_t[], size_t) override {}
    std::string name() const override { return "getrandom"; }
    void clear() override {}
    bool is_seeded() const override { return true; }
};

}  // namespace denrol
