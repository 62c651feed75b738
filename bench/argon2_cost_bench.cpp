// argon2_cost_bench: what one admin login costs the router, for each Argon2id setting OWASP's
// Password Storage Cheat Sheet lists as equivalent (m = 46, 19, 12, 9, 7 MiB with t = 1..5,
// p = 1). A login is one rca::admin::password_matches against a stored hash, exactly as the
// daemon runs it, with the daemon's heap tuning (daemon/heap_tuning.hpp).
//
// Per setting: the median wall time of a check, and the resident memory the check added at its
// peak (VmHWM after writing "5" to /proc/self/clear_refs, which resets the peak, minus VmRSS
// before). Peer: the cheat sheet's first setting, m = 19 MiB, t = 2, router-ca's cost until it
// chose its own; rounds are interleaved and each ratio is the median of per-round ratios, since
// the machine is shared and noisy.
//
// usage: argon2_cost_bench [--rounds R]      (default 15)
#include <botan/auto_rng.h>
#include <botan/version.h>
#include <sys/utsname.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "admin/password_hash.hpp"
#include "daemon/heap_tuning.hpp"

namespace {

using rca::admin::Argon2Cost;

// VmRSS or VmHWM of this process, in KiB.
long status_kib(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const size_t n = std::strlen(field);
    while (std::getline(in, line))
        if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':')
            return std::atol(line.c_str() + n + 1);
    return -1;
}

// Resets VmHWM to the current RSS (Linux 4.0+, proc(5) "clear_refs").
bool reset_peak() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    return static_cast<bool>(out.flush());
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Setting {
    Argon2Cost cost;
    std::string hash;
    std::vector<double> ms;
    std::vector<double> ratio;  // to the peer, round by round
    long peak_kib = 0;          // the largest of the rounds
};

}  // namespace

int main(int argc, char** argv) {
    int rounds = 15;
    for (int i = 1; i + 1 < argc; i += 2)
        if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::max(1, std::atoi(argv[i + 1]));
    rca::tune_heap_for_router();

    Botan::AutoSeeded_RNG rng;
    const std::string password = "correct horse battery staple";
    // The peer first: OWASP's first setting, router-ca's cost before it chose one for routers.
    std::vector<Setting> settings = {{{19 * 1024, 2, 1}, {}, {}, {}, 0},
                                     {{46 * 1024, 1, 1}, {}, {}, {}, 0},
                                     {{12 * 1024, 3, 1}, {}, {}, {}, 0},
                                     {{9 * 1024, 4, 1}, {}, {}, {}, 0},
                                     {{7 * 1024, 5, 1}, {}, {}, {}, 0}};
    const Argon2Cost chosen = Argon2Cost{};
    for (auto& s : settings) s.hash = rca::admin::hash_password(password, rng, s.cost);

    utsname host{};
    uname(&host);
    std::printf(
        "argon2_cost_bench: %s %s %s, Botan %s, %d rounds; one login = one "
        "password_matches\n",
        host.sysname, host.release, host.machine, Botan::short_version_cstr(), rounds);
    bool peaks = true;
    for (int round = 0; round < rounds; ++round) {
        double peer_ms = 0;
        for (auto& s : settings) {
            const long before = status_kib("VmRSS");
            peaks = reset_peak() && peaks;
            const auto t0 = std::chrono::steady_clock::now();
            if (!rca::admin::password_matches(password, s.hash)) {
                std::fprintf(stderr, "argon2_cost_bench: a hash did not verify\n");
                return 1;
            }
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
            s.peak_kib = std::max(s.peak_kib, status_kib("VmHWM") - before);
            s.ms.push_back(ms);
            if (&s == &settings.front()) peer_ms = ms;
            s.ratio.push_back(ms / peer_ms);
        }
    }
    if (!peaks) std::printf("note: /proc/self/clear_refs refused; peaks are since start\n");
    std::printf("%-22s %10s %10s %14s\n", "setting", "median ms", "x peer", "peak +KiB");
    for (const auto& s : settings) {
        char name[64];
        std::snprintf(name, sizeof name, "m=%zu KiB t=%zu p=%zu", s.cost.memory_kib,
                      s.cost.iterations, s.cost.parallelism);
        const bool is_chosen = s.cost.memory_kib == chosen.memory_kib &&
                               s.cost.iterations == chosen.iterations &&
                               s.cost.parallelism == chosen.parallelism;
        std::printf("%-22s %10.1f %10.2f %14ld%s%s\n", name, median(s.ms), median(s.ratio),
                    s.peak_kib, &s == &settings.front() ? "  (peer)" : "",
                    is_chosen ? "  (router-ca's default)" : "");
    }
    return 0;
}
