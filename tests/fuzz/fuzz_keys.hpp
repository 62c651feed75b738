#pragma once
// The fixed keys shared by fuzz_jws and the seed generator: the seeds that use "kid" are signed
// with this P-256 key, and the EAB seeds with this MAC key, so that the fuzzer starts from inputs
// whose signatures verify and reaches the success paths, not only the refusals.
#include <botan/bigint.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/hmac_drbg.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rca::fuzz {

/// The account key that "kid" seeds are signed with; deterministic, so it never needs storing.
inline Botan::ECDSA_PrivateKey kid_account_key() {
    // The scalar is fixed; the generator only blinds the base-point multiplication with it.
    Botan::HMAC_DRBG rng("SHA-256");
    const std::string seed = "router-ca fuzz: kid account key";
    rng.initialize_with(reinterpret_cast<const uint8_t*>(seed.data()), seed.size());
    return Botan::ECDSA_PrivateKey(
        rng, Botan::EC_Group("secp256r1"),
        Botan::BigInt("0x5ca1ab1e0ddba11c0ffee5eed5ca1ab1e0ddba11c0ffee5eed5ca1ab1e0ddba1"));
}

/// The External Account Binding MAC key that HS256 seeds are signed with (RFC 8555 7.3.4).
inline std::vector<uint8_t> eab_mac_key() {
    const std::string key = "router-ca fuzz: the EAB MAC key.";
    return std::vector<uint8_t>(key.begin(), key.end());
}

}  // namespace rca::fuzz
