#include <botan/auto_rng.h>

#include <catch2/catch.hpp>
#include <regex>

#include "admin/password_hash.hpp"
#include "admin/qr_svg.hpp"
#include "admin/setup_code.hpp"
#include "wire/fingerprint_text.hpp"

using namespace rca::admin;
using rca::wire::group_fingerprint;
using rca::wire::short_key_fingerprint;

TEST_CASE("fingerprints are grouped four bytes at a time", "[text]") {
    CHECK(group_fingerprint("ab12cd34ef560011") == "AB:12:CD:34 EF:56:00:11");
    CHECK(group_fingerprint("AB:12:cd") == "AB:12:CD");
    CHECK(group_fingerprint("abc") == "abc");
    CHECK(group_fingerprint("zz") == "zz");
    const std::string sha256(64, 'f');
    CHECK(group_fingerprint(sha256).size() == 32 * 2 + 24 + 7);
}

TEST_CASE("a key's short fingerprint is the first eight octets of its id", "[text]") {
    CHECK(
        short_key_fingerprint("ab12cd34ef5600112233445566778899aabbccddeeff00112233445566778899") ==
        "AB:12:CD:34 EF:56:00:11");
    CHECK(short_key_fingerprint("ab12") == "AB:12");
}

TEST_CASE("setup codes: 80 bits in four groups, typed loosely", "[text]") {
    Botan::AutoSeeded_RNG rng;
    const std::string code = make_setup_code(rng);
    CHECK(std::regex_match(code, std::regex("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")));
    CHECK(make_setup_code(rng) != code);
    std::string typed;
    for (const char c : code)
        if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(setup_code_matches(code, typed));
    CHECK(setup_code_matches(code, " " + code + " "));
    CHECK_FALSE(setup_code_matches(code, code.substr(0, 18)));
    CHECK_FALSE(setup_code_matches(code, ""));
}

TEST_CASE("passwords: Argon2id hashes verify and reject", "[text]") {
    Botan::AutoSeeded_RNG rng;
    const Argon2Cost cheap{64, 1, 1};  // tests need no real cost
    const std::string hash = hash_password("correct horse", rng, cheap);
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(password_matches("correct horse", hash));
    CHECK_FALSE(password_matches("correct horsE", hash));
    CHECK(hash_password("correct horse", rng, cheap) != hash);  // salted
    CHECK_FALSE(password_matches("x", "not a hash"));
    CHECK(password_problem("short"));
    CHECK_FALSE(password_problem("long enough"));
    CHECK(password_problem(std::string(kMaxPasswordLength + 1, 'a')));
}

TEST_CASE("passwords: a hash tells which cost made it", "[text]") {
    Botan::AutoSeeded_RNG rng;
    const std::string hash = hash_password("correct horse", rng, {64, 2, 1});
    CHECK(hash_has_cost(hash, {64, 2, 1}));
    CHECK_FALSE(hash_has_cost(hash, {64, 1, 1}));
    CHECK_FALSE(hash_has_cost(hash, {6, 2, 1}));  // m=6 is a prefix of m=64
    CHECK_FALSE(hash_has_cost(hash, {640, 2, 1}));
    CHECK_FALSE(hash_has_cost(hash, {64, 2, 2}));
    CHECK_FALSE(hash_has_cost("not a hash", {64, 2, 1}));
    // The default is router-ca's cost for new hashes (docs/security.md); an older default's hash
    // (OWASP's m = 19 MiB, t = 2) still verifies, since the hash names its own cost.
    const Argon2Cost defaults;
    CHECK(defaults.memory_kib == 9 * 1024);
    CHECK(defaults.iterations == 4);
    CHECK(defaults.parallelism == 1);
    const std::string old = hash_password("correct horse", rng, {19 * 1024, 2, 1});
    CHECK(password_matches("correct horse", old));
    CHECK_FALSE(hash_has_cost(old, defaults));
}

TEST_CASE("QR codes render as SVG", "[text]") {
    const std::string svg = qr_svg("https://192.168.1.1:8443/install");
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(svg.find("h1v1h-1z") != std::string::npos);
    CHECK_THROWS(qr_svg(std::string(8000, 'x')));
}
