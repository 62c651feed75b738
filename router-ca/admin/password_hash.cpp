#include "admin/password_hash.hpp"

#include <botan/argon2.h>

namespace rca::admin {
namespace {

// Botan's argon2_generate_pwhash takes the variant as a number: 0 = d, 1 = i, 2 = id.
constexpr uint8_t kArgon2id = 2;
constexpr size_t kSaltBytes = 16;  // RFC 9106 3.1 recommends 128 bits
constexpr size_t kHashBytes = 32;

}  // namespace

std::optional<std::string> password_problem(const std::string& password) {
    if (password.size() < kMinPasswordLength)
        return "the password must have at least " + std::to_string(kMinPasswordLength) +
               " characters";
    if (password.size() > kMaxPasswordLength)
        return "the password must have at most " + std::to_string(kMaxPasswordLength) +
               " characters";
    return std::nullopt;
}

std::string hash_password(const std::string& password, Botan::RandomNumberGenerator& rng,
                          Argon2Cost cost) {
    return Botan::argon2_generate_pwhash(password.data(), password.size(), rng, cost.parallelism,
                                         cost.memory_kib, cost.iterations, kArgon2id, kSaltBytes,
                                         kHashBytes);
}

bool password_matches(const std::string& password, const std::string& hash) {
    try {
        return Botan::argon2_check_pwhash(password.data(), password.size(), hash);
    } catch (const std::exception&) {
        return false;  // a hash this code did not write
    }
}

bool hash_has_cost(const std::string& hash, Argon2Cost cost) {
    // Botan writes the PHC string format: $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$salt$hash.
    const std::string prefix = "$argon2id$v=19$m=" + std::to_string(cost.memory_kib) +
                               ",t=" + std::to_string(cost.iterations) +
                               ",p=" + std::to_string(cost.parallelism) + "$";
    return hash.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace rca::admin
