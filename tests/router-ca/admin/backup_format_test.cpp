#include "admin/backup_format.hpp"

#include <botan/auto_rng.h>

#include <catch2/catch.hpp>

using namespace rca::admin;
using rca::Bytes;
using rca::Errc;

namespace {
const Argon2Cost kCheap{64, 1, 1};  // the format stores the cost; tests need none
}

TEST_CASE("backup: seal and open round-trip", "[backup]") {
    Botan::AutoSeeded_RNG rng;
    const Bytes plain = {'t', 'a', 'r', 0, 1, 2, 3};
    const Bytes sealed = seal_backup(plain, "a long passphrase", rng, kCheap);
    CHECK(std::string(sealed.begin(), sealed.begin() + 8) == "RCABAK01");
    CHECK(sealed.size() == 48 + plain.size() + 16);
    const auto opened = open_backup(sealed, "a long passphrase");
    REQUIRE(opened);
    CHECK(opened.value() == plain);
    CHECK(seal_backup(plain, "a long passphrase", rng, kCheap) != sealed);  // fresh salt, nonce
}

TEST_CASE("backup: wrong passphrase, changed bytes and foreign files are refused", "[backup]") {
    Botan::AutoSeeded_RNG rng;
    const Bytes sealed = seal_backup(Bytes(100, 'x'), "a long passphrase", rng, kCheap);
    CHECK(open_backup(sealed, "a long passphrasf").error().code == Errc::unauthorized);

    // Every byte is covered: the header as associated data, the rest by the tag.
    const size_t at = GENERATE(20, 36, 47, 48, 100, 163);
    CAPTURE(at);
    Bytes changed = sealed;
    changed[at] ^= 0x01;
    CHECK_FALSE(open_backup(changed, "a long passphrase"));

    CHECK(open_backup(Bytes(sealed.begin(), sealed.end() - 1), "a long passphrase").error().code ==
          Errc::unauthorized);
    CHECK(open_backup(Bytes(30, 'R'), "x").error().code == Errc::malformed);
}

TEST_CASE("backup: absurd cost parameters are refused before any work", "[backup]") {
    Botan::AutoSeeded_RNG rng;
    Bytes sealed = seal_backup(Bytes(10, 'x'), "a long passphrase", rng, kCheap);
    sealed[8] = 0x7f;  // memory: about 2 TiB
    CHECK(open_backup(sealed, "a long passphrase").error().code == Errc::malformed);
}
