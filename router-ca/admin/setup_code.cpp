#include "admin/setup_code.hpp"

#include <cctype>

#include "admin/csrf.hpp"

namespace rca::admin {
namespace {

// Crockford's base32 alphabet (https://www.crockford.com/base32.html).
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kChars = 16;

std::string normalise(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '-' || c == ' ') continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace

std::string make_setup_code(Botan::RandomNumberGenerator& rng) {
    std::string code;
    for (size_t i = 0; i < kChars; ++i) {
        if (i > 0 && i % 4 == 0) code += '-';
        // 32 divides 256, so taking the low five bits of a random byte is unbiased.
        code += kAlphabet[rng.next_byte() & 31];
    }
    return code;
}

bool setup_code_matches(const std::string& code, const std::string& typed) {
    return csrf_token_matches(normalise(code), normalise(typed));
}

}  // namespace rca::admin
