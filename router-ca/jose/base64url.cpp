#include "jose/base64url.hpp"

#include <array>

namespace rca::jose {
namespace {

// RFC 4648 section 5, table 2.
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr int8_t kInvalid = -1;

/// The 6-bit value of each byte, kInvalid for bytes outside the URL-safe alphabet.
constexpr std::array<int8_t, 256> make_decode_table() {
    std::array<int8_t, 256> table{};
    for (auto& v : table) v = kInvalid;
    for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
    return table;
}

constexpr std::array<int8_t, 256> kDecode = make_decode_table();

}  // namespace

std::string base64url_encode(const uint8_t* data, size_t size) {
    std::string out;
    out.reserve((size * 4 + 2) / 3);
    size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        const uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        out.push_back(kAlphabet[(v >> 6) & 63]);
        out.push_back(kAlphabet[v & 63]);
    }
    const size_t rest = size - i;
    if (rest == 1) {
        const uint32_t v = uint32_t{data[i]} << 16;
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
    } else if (rest == 2) {
        const uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        out.push_back(kAlphabet[(v >> 6) & 63]);
    }
    return out;
}

std::string base64url_encode(const Bytes& data) {
    return base64url_encode(data.data(), data.size());
}

std::string base64url_encode(std::string_view text) {
    return base64url_encode(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

std::optional<Bytes> base64url_decode(std::string_view text) {
    // A single character left over carries 6 bits, less than a byte: no encoder produces it.
    if (text.size() % 4 == 1) return std::nullopt;
    Bytes out;
    out.reserve(text.size() / 4 * 3 + 2);
    uint32_t acc = 0;
    int bits = 0;
    for (const char c : text) {
        const int8_t v = kDecode[static_cast<uint8_t>(c)];
        if (v == kInvalid) return std::nullopt;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<uint8_t>(acc >> bits));
            acc &= (1u << bits) - 1;
        }
    }
    // The 2 or 4 bits an unpadded tail leaves over must be zero (RFC 4648 section 3.5), so that
    // each byte string has one encoding and a signature cannot be re-encoded into another JWS.
    if (acc != 0) return std::nullopt;
    return out;
}

}  // namespace rca::jose
