#include "jose/base64url.hpp"

#include <catch2/catch.hpp>

namespace rca::jose {
namespace {

Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

TEST_CASE("base64url encodes and decodes the RFC 4648 section 10 vectors, unpadded",
          "[base64url]") {
    const auto [plain, encoded] = GENERATE(table<std::string, std::string>({
        {"", ""},
        {"f", "Zg"},
        {"fo", "Zm8"},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg"},
        {"fooba", "Zm9vYmE"},
        {"foobar", "Zm9vYmFy"},
    }));
    CAPTURE(plain);
    CHECK(base64url_encode(plain) == encoded);
    CHECK(base64url_encode(bytes_of(plain)) == encoded);
    const auto decoded = base64url_decode(encoded);
    REQUIRE(decoded);
    CHECK(*decoded == bytes_of(plain));
}

TEST_CASE("base64url uses the URL-safe alphabet for 62 and 63", "[base64url]") {
    // 0xfb 0xff = 111110 111111 1111(00): '+' '/' '8' in base64, '-' '_' '8' in base64url.
    const Bytes data = {0xfb, 0xff};
    CHECK(base64url_encode(data) == "-_8");
    CHECK(base64url_decode("-_8") == std::optional<Bytes>(data));
}

TEST_CASE("base64url round-trips every byte value at every tail length", "[base64url]") {
    Bytes all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<uint8_t>(i));
    for (size_t n = 250; n <= 256; ++n) {
        const Bytes data(all.begin(), all.begin() + static_cast<long>(n));
        CHECK(base64url_decode(base64url_encode(data)) == std::optional<Bytes>(data));
    }
}

TEST_CASE("base64url decoding refuses everything but the one canonical encoding", "[base64url]") {
    const std::string text = GENERATE(as<std::string>{},
                                      "Zg==",      // padding
                                      "Zm8=",      // padding
                                      "Zg=",       // partial padding
                                      "+_8",       // standard alphabet 62
                                      "-/8",       // standard alphabet 63
                                      "Zm9v Yg",   // space
                                      "Zm9v\nYg",  // newline
                                      " Zm9v",     // leading whitespace
                                      "Zm9vY",     // length % 4 == 1
                                      "Z",         // length % 4 == 1
                                      "A",         // length % 4 == 1, even with zero bits
                                      "Zm9vA",     // the same after a full group
                                      "Zh",   // "f" with non-zero trailing bits (Zg is canonical)
                                      "Zm9",  // "fo" with non-zero trailing bits (Zm8 is canonical)
                                      "Zm9vYmF",                 // trailing bits again
                                      "Zm9v.Yg",                 // a JWS separator
                                      std::string("Zm\0v", 4));  // NUL
    CAPTURE(text);
    CHECK_FALSE(base64url_decode(text));
}

}  // namespace
}  // namespace rca::jose
