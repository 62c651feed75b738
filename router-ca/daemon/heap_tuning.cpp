#include "daemon/heap_tuning.hpp"

#include <malloc.h>

namespace rca {

void tune_heap_for_router() {
#ifdef __GLIBC__
    // glibc gives each thread that allocates its own heap ("arena", up to 8 per core), and each
    // keeps what it freed: with 16 HTTPS workers RSS crept up by 12 MiB in 30 s of load
    // (bench/load_bench.sh) and stayed flat with two arenas.
    mallopt(M_ARENA_MAX, 2);
    // A block of M_MMAP_THRESHOLD bytes or more is a mapping of its own, unmapped by free(). glibc
    // raises the threshold to the size of each such block freed (up to 32 MiB), so after the first
    // login every Argon2 block came from an arena instead and stayed there: 15 concurrent logins
    // left RSS at 313 MB for good. Setting the threshold (to glibc's documented default, 128 KiB)
    // turns that dynamic raise off, and with it the matching raise of M_TRIM_THRESHOLD
    // (mallopt(3)).
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

}  // namespace rca
