#include "acme/nonce_store.hpp"

#include <botan/auto_rng.h>

#include <catch2/catch.hpp>
#include <set>

namespace rca::acme {
namespace {

TEST_CASE("a nonce is accepted once", "[acme][nonce]") {
    Botan::AutoSeeded_RNG rng;
    NonceStore nonces(rng);
    const auto n = nonces.issue();
    CHECK(n.size() == 22);  // 128 bits in unpadded base64url
    CHECK(nonces.consume(n));
    CHECK_FALSE(nonces.consume(n));
    CHECK_FALSE(nonces.consume("never-issued"));
    CHECK_FALSE(nonces.consume(""));
}

TEST_CASE("nonces are distinct", "[acme][nonce]") {
    Botan::AutoSeeded_RNG rng;
    NonceStore nonces(rng);
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) seen.insert(nonces.issue());
    CHECK(seen.size() == 1000);
}

TEST_CASE("only the newest nonces are kept", "[acme][nonce]") {
    Botan::AutoSeeded_RNG rng;
    NonceStore nonces(rng, 3);
    const auto oldest = nonces.issue();
    const auto second = nonces.issue();
    nonces.issue();
    nonces.issue();  // evicts the oldest
    CHECK_FALSE(nonces.consume(oldest));
    CHECK(nonces.consume(second));
}

}  // namespace
}  // namespace rca::acme
