#include "admin/backup_format.hpp"

#include <botan/aead.h>
#include <botan/pwdhash.h>

#include <algorithm>
#include <cstring>

namespace rca::admin {
namespace {

constexpr char kMagic[] = "RCABAK01";
constexpr size_t kMagicBytes = 8;
constexpr size_t kSaltBytes = 16;
constexpr size_t kNonceBytes = 12;  // NIST SP 800-38D 8.2: 96-bit random nonces
constexpr size_t kHeaderBytes = kMagicBytes + 12 + kSaltBytes + kNonceBytes;
constexpr size_t kTagBytes = 16;
constexpr size_t kKeyBytes = 32;
// A crafted file must not make restore allocate gigabytes or spin for minutes.
constexpr uint32_t kMaxMemoryKib = 1024 * 1024;
constexpr uint32_t kMaxIterations = 16;
constexpr uint32_t kMaxParallelism = 8;

void put32(uint8_t* at, uint32_t v) {
    at[0] = static_cast<uint8_t>(v >> 24);
    at[1] = static_cast<uint8_t>(v >> 16);
    at[2] = static_cast<uint8_t>(v >> 8);
    at[3] = static_cast<uint8_t>(v);
}

uint32_t get32(const uint8_t* at) {
    return (uint32_t{at[0]} << 24) | (uint32_t{at[1]} << 16) | (uint32_t{at[2]} << 8) | at[3];
}

Botan::secure_vector<uint8_t> derive(const std::string& passphrase, const uint8_t* salt,
                                     uint32_t memory, uint32_t iterations, uint32_t parallelism) {
    const auto family = Botan::PasswordHashFamily::create_or_throw("Argon2id");
    const auto argon2 = family->from_params(memory, iterations, parallelism);
    Botan::secure_vector<uint8_t> key(kKeyBytes);
    argon2->derive_key(key.data(), key.size(), passphrase.data(), passphrase.size(), salt,
                       kSaltBytes);
    return key;
}

}  // namespace

Bytes seal_backup(const Bytes& plain, const std::string& passphrase,
                  Botan::RandomNumberGenerator& rng, Argon2Cost cost) {
    Bytes header(kHeaderBytes);
    std::memcpy(header.data(), kMagic, kMagicBytes);
    put32(header.data() + 8, static_cast<uint32_t>(cost.memory_kib));
    put32(header.data() + 12, static_cast<uint32_t>(cost.iterations));
    put32(header.data() + 16, static_cast<uint32_t>(cost.parallelism));
    rng.randomize(header.data() + 20, kSaltBytes + kNonceBytes);
    const uint8_t* salt = header.data() + 20;
    const uint8_t* nonce = salt + kSaltBytes;

    const auto key =
        derive(passphrase, salt, static_cast<uint32_t>(cost.memory_kib),
               static_cast<uint32_t>(cost.iterations), static_cast<uint32_t>(cost.parallelism));
    const auto gcm = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::ENCRYPTION);
    gcm->set_key(key);
    gcm->set_associated_data(header.data(), header.size());
    gcm->start(nonce, kNonceBytes);
    Botan::secure_vector<uint8_t> buffer(plain.begin(), plain.end());
    gcm->finish(buffer);

    Bytes out(header.size() + buffer.size());
    std::copy(header.begin(), header.end(), out.begin());
    std::copy(buffer.begin(), buffer.end(),
              out.begin() + static_cast<std::ptrdiff_t>(kHeaderBytes));
    return out;
}

Result<Bytes> open_backup(const Bytes& sealed, const std::string& passphrase) {
    if (sealed.size() < kHeaderBytes + kTagBytes ||
        std::memcmp(sealed.data(), kMagic, kMagicBytes) != 0)
        return fail(Errc::malformed, "this is not a router-ca backup (format RCABAK01)");
    const uint32_t memory = get32(sealed.data() + 8);
    const uint32_t iterations = get32(sealed.data() + 12);
    const uint32_t parallelism = get32(sealed.data() + 16);
    if (memory < 8 || memory > kMaxMemoryKib || iterations < 1 || iterations > kMaxIterations ||
        parallelism < 1 || parallelism > kMaxParallelism || memory < 8 * parallelism)
        return fail(Errc::malformed, "the backup's key-derivation parameters are out of range");
    const uint8_t* salt = sealed.data() + 20;
    const uint8_t* nonce = salt + kSaltBytes;

    const auto key = derive(passphrase, salt, memory, iterations, parallelism);
    const auto gcm = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::DECRYPTION);
    gcm->set_key(key);
    gcm->set_associated_data(sealed.data(), kHeaderBytes);
    gcm->start(nonce, kNonceBytes);
    Botan::secure_vector<uint8_t> buffer(sealed.begin() + kHeaderBytes, sealed.end());
    try {
        gcm->finish(buffer);
    } catch (const Botan::Invalid_Authentication_Tag&) {
        return fail(Errc::unauthorized,
                    "wrong passphrase, or the backup file was changed or truncated");
    }
    return Bytes(buffer.begin(), buffer.end());
}

}  // namespace rca::admin
