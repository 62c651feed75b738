#pragma once
// base64url without padding (RFC 7515 section 2, RFC 4648 section 5), as JOSE and ACME use it.
// Decoding is strict because its input is hostile: no padding, no whitespace, no characters outside
// the URL-safe alphabet, and no non-zero bits left over in the last character (so every byte string
// has exactly one accepted encoding).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rca::jose {

using Bytes = std::vector<uint8_t>;

/// The unpadded base64url text of data.
std::string base64url_encode(const uint8_t* data, size_t size);
std::string base64url_encode(const Bytes& data);
std::string base64url_encode(std::string_view text);

/// The bytes of a strict unpadded base64url text, or nullopt when it is not one.
std::optional<Bytes> base64url_decode(std::string_view text);

}  // namespace rca::jose
