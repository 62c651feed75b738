// libFuzzer target: the CSR a device posts to /api/v1/enrolments or /api/v1/renewals, PEM or DER,
// through accept_csr (Botan's PKCS#10 decoder, proof of possession, the key-type validators).
// An accepted CSR must also describe itself consistently: its key ID is the SHA-256 of its key.
#include <botan/hash.h>
#include <botan/hex.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/csr_policy.hpp"
#include "exact_input.hpp"

int rca::fuzz::test_one_input(const uint8_t* data, size_t size) {
    const auto accepted = rca::accept_csr(std::string(as_text(data, size)));
    if (!accepted) return 0;
    const auto& csr = accepted.value();
    const auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
    if (csr.key_id != Botan::hex_encode(sha256->process(csr.public_key_info), false) ||
        csr.key_type.empty() || csr.der.empty()) {
        std::fprintf(stderr, "fuzz_csr: accepted CSR with inconsistent facts\n");
        std::abort();
    }
    return 0;
}
