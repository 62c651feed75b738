// An LD_PRELOAD shim for tests/e2e/entropy_test.sh: device-enrol sees a kernel whose random pool
// is not initialised yet, without root or a fresh boot. Every getrandom(GRND_NONBLOCK) fails with
// EAGAIN until a blocking getrandom() has "waited" (GETRANDOM_SHIM_WAIT_MS, default 300 ms) --
// as the kernel behaves until its pool is ready -- and every call is recorded in
// GETRANDOM_SHIM_LOG: "nonblock EAGAIN", or "block LEN HEX" with the bytes the kernel returned, so
// the test can find the device's private key among them.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

namespace {

std::atomic<bool> g_pool_ready{false};

void record(const char* line, const unsigned char* bytes, ssize_t n) {
    const char* path = getenv("GETRANDOM_SHIM_LOG");
    if (!path) return;
    FILE* f = fopen(path, "a");
    if (!f) return;
    fputs(line, f);
    for (ssize_t i = 0; i < n; ++i) fprintf(f, "%02x", bytes[i]);
    fputc('\n', f);
    fclose(f);
}

}  // namespace

extern "C" ssize_t getrandom(void* buf, size_t len, unsigned int flags) {
    if ((flags & GRND_NONBLOCK) && !g_pool_ready.load()) {
        record("nonblock EAGAIN", nullptr, 0);
        errno = EAGAIN;
        return -1;
    }
    if (!(flags & GRND_NONBLOCK) && !g_pool_ready.exchange(true)) {
        const char* ms = getenv("GETRANDOM_SHIM_WAIT_MS");
        const long wait_ms = ms ? atol(ms) : 300;
        timespec t{wait_ms / 1000, (wait_ms % 1000) * 1000000};
        while (nanosleep(&t, &t) != 0 && errno == EINTR) {
        }
    }
    const ssize_t n = syscall(SYS_getrandom, buf, len, flags);
    char head[64];
    snprintf(head, sizeof head, "%s %zu ", (flags & GRND_NONBLOCK) ? "nonblock" : "block", len);
    record(head, static_cast<const unsigned char*>(buf), n);
    return n;
}
