#pragma once
// The admin's password, stored only as Argon2id (RFC 9106) through Botan. Pure: the salt comes
// from the rng parameter.
#include <botan/rng.h>

#include <cstddef>
#include <optional>
#include <string>

namespace rca::admin {

/// Argon2id cost. The default is OWASP's Password Storage Cheat Sheet minimum (m = 19 MiB,
/// t = 2, p = 1): affordable on a router with 128 MB of RAM, about 50 ms on a desktop core.
struct Argon2Cost {
    size_t memory_kib = 19 * 1024;
    size_t iterations = 2;
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

/// True when `password` matches `hash` (made by hash_password).
bool password_matches(const std::string& password, const std::string& hash);

}  // namespace rca::admin
