#pragma once
// The admin's password, stored only as Argon2id (RFC 9106) through Botan. Pure: the salt comes
// from the rng parameter.
#include <botan/rng.h>

#include <cstddef>
#include <optional>
#include <string>

namespace rca::admin {

/// Argon2id cost. The default is one of the settings OWASP's Password Storage Cheat Sheet lists
/// as equivalent (m = 19 MiB with t = 2, 12 MiB with t = 3, 9 MiB with t = 4, 7 MiB with t = 5):
/// the most memory (what makes each guess dear on an attacker's GPU) for which two hashing slots
/// (admin/hashing_slots.hpp) leave the daemon, about 20 MiB idle, well under its 48 MiB budget
/// while attacked: 2 x 9 MiB leaves 8 MiB spare, 2 x 12 MiB only 2. It takes 0.6 times the time
/// of 19 MiB (bench/argon2_cost_bench.cpp; docs/security.md, "Admin login under attack").
struct Argon2Cost {
    size_t memory_kib = 9 * 1024;
    size_t iterations = 4;
    size_t parallelism = 1;
};

/// The shortest password accepted; NIST SP 800-63B 5.1.1.2 asks for at least 8.
inline constexpr size_t kMinPasswordLength = 10;
/// The longest, so that hashing cost stays bounded.
inline constexpr size_t kMaxPasswordLength = 1024;

/// Why `password` is unacceptable, or nullopt when it is fine.
std::optional<std::string> password_problem(const std::string& password);

/// The Argon2id hash of `password` in Botan's "$argon2id$v=19$m=..,t=..,p=..$salt$hash" form.
std::string hash_password(const std::string& password, Botan::RandomNumberGenerator& rng,
                          Argon2Cost cost = {});

/// True when `password` matches `hash` (made by hash_password, with any cost: the hash names
/// its own).
bool password_matches(const std::string& password, const std::string& hash);

/// True when `hash` (made by hash_password) was made with exactly `cost`.
bool hash_has_cost(const std::string& hash, Argon2Cost cost);

}  // namespace rca::admin
