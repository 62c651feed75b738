#include "denrol/root_pinning.hpp"

#include <catch2/catch.hpp>

#include <botan/system_rng.h>

#include "denrol/key_maker.hpp"
#include "support/test_pki.hpp"

namespace {

const std::string kHex = "3f2a9b00c1d2e3f4a5b6c7d8e9f00112233445566778899aabbccddeeff00112";

std::string colon_upper(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 2) {
        if (i) out += ':';
        out += static_cast<char>(std::toupper(hex[i]));
        out += static_cast<char>(std::toupper(hex[i + 1]));
    }
    return out;
}

}  // namespace

TEST_CASE("fingerprints are case, colon and space insensitive", "[root_pinning]") {
    struct Row {
        std::string input;
        std::optional<std::string> want;
    };
    const auto row = GENERATE(values<Row>({
        {kHex, kHex},
        {colon_upper(kHex), kHex},
        {"  " + kHex.substr(0, 32) + " " + kHex.substr(32) + "\n", kHex},
        {kHex.substr(1), std::nullopt},            // 63 digits
        {kHex + "0", std::nullopt},                // 65 digits
        {kHex.substr(0, 63) + "g", std::nullopt},  // not hex
        {"sha256:" + kHex, std::nullopt},          // a prefix is not a fingerprint
        {"", std::nullopt},
    }));
    INFO(row.input);
    CHECK(denrol::normalise_fingerprint(row.input) == row.want);
}

TEST_CASE("accept_root checks fingerprint, pin and CA-ness", "[root_pinning]") {
    Botan::System_RNG rng;
    denrol_test::TestPki pki(rng);
    denrol_test::TestPki other(rng, "Another Root");
    const std::string fp = denrol::certificate_fingerprint(pki.root());
    const std::string other_fp = denrol::certificate_fingerprint(other.root());
    REQUIRE(fp.size() == 64);

    SECTION("the expected fingerprint matches") {
        CHECK(denrol::accept_root(pki.root_pem(), fp, std::nullopt).ok());
    }
    SECTION("a different fingerprint is refused, naming both") {
        const auto r = denrol::accept_root(pki.root_pem(), other_fp, std::nullopt);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK_THAT(r.error().detail, Catch::Contains(fp) && Catch::Contains(other_fp));
    }
    SECTION("trust on first use: no fingerprint and no pin") {
        CHECK(denrol::accept_root(pki.root_pem(), "", std::nullopt).ok());
    }
    SECTION("the pinned root must match") {
        CHECK(denrol::accept_root(pki.root_pem(), "", pki.root_pem()).ok());
        const auto r = denrol::accept_root(pki.root_pem(), "", other.root_pem());
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK_THAT(r.error().detail, Catch::Contains("pinned"));
    }
    SECTION("an explicit fingerprint overrides an old pin (a reset router)") {
        CHECK(denrol::accept_root(pki.root_pem(), fp, other.root_pem()).ok());
    }
    SECTION("a leaf offered as the root is refused") {
        const auto key = denrol::make_key(denrol::KeyType::p256, rng);
        const auto now = std::chrono::system_clock::now();
        const auto leaf = pki.issue_leaf(*key, "x.home.arpa", "", now, now + std::chrono::hours(1));
        const auto r = denrol::accept_root(leaf.PEM_encode(), "", std::nullopt);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::untrusted);
        CHECK_THAT(r.error().detail, Catch::Contains("not a CA"));
    }
    SECTION("garbage is a protocol error") {
        const auto r = denrol::accept_root("<html>hello</html>", "", std::nullopt);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == denrol::Errc::protocol);
    }
}
