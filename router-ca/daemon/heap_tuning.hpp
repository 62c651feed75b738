#pragma once
// How the daemon's heap gives memory back to the system. Argon2 hashing (admin/password_hash.hpp)
// takes its whole cost in one allocation per hash, several MiB, and glibc's defaults would keep
// what a burst of logins freed for the life of the process.

namespace rca {

/// Tunes the C library's allocator for a long-running daemon on a router with little RAM: few
/// per-thread heaps, and large blocks always returned to the system when freed. Call once, before
/// any thread starts. Does nothing outside glibc: OpenWrt's musl has no per-thread heaps and
/// unmaps large blocks on free.
void tune_heap_for_router();

}  // namespace rca
