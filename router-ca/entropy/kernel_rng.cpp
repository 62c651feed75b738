#include "entropy/kernel_rng.hpp"

#include <sys/random.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <system_error>

namespace rca::entropy {

void KernelRng::wait_until_ready(const std::function<void(const std::string&)>& say) {
    uint8_t probe = 0;
    ssize_t n;
    do {
        n = ::getrandom(&probe, 1, GRND_NONBLOCK);
    } while (n < 0 && errno == EINTR);
    if (n == 1) return;
    if (errno == ENOSYS)
        throw std::runtime_error(
            "this kernel has no getrandom() (Linux older than 3.17): keys are made only from the "
            "kernel's initialised random pool, and there is no way to check for it");
    if (errno != EAGAIN)
        throw std::runtime_error(std::string("getrandom() failed: ") +
                                 std::generic_category().message(errno));
    say("waiting for the kernel's random pool to be initialised before making keys (this happens "
        "early after a cold boot on a device without a hardware RNG; a key made now could be "
        "guessed)");
    const auto start = std::chrono::steady_clock::now();
    randomize(&probe, 1);  // blocks until the pool is ready
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f", static_cast<double>(waited.count()) / 1000.0);
    say(std::string("the kernel's random pool is ready after waiting ") + seconds + " s");
}

void KernelRng::randomize(uint8_t output[], size_t length) {
    size_t done = 0;
    while (done < length) {
        // Flags 0: block until the pool is initialised, then never block again (getrandom(2)).
        const ssize_t n = ::getrandom(output + done, length - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            // Nothing weaker is tried: a machine with no working kernel RNG must not make keys.
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        done += static_cast<size_t>(n);
    }
}

}  // namespace rca::entropy
