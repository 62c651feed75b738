#pragma once
// The router assigns every device's name: a sanitised hint, made unique with -2, -3..., or a
// generated adjective-surname when the device gave none. Names in the CSR never count.
#include <botan/rng.h>

#include <functional>
#include <string>

namespace rca {

/// The longest DNS label (RFC 1035 2.3.4).
inline constexpr size_t kMaxLabel = 63;

/// Turns any hint into one lowercase LDH label (RFC 1123 2.1): letters and digits kept,
/// everything else becomes '-', runs of '-' folded, no '-' at either end, at most 63 characters.
/// Returns "" when nothing usable remains.
std::string sanitize_label(const std::string& hint);

/// The name of the router's own entry in the home zone: router.<domain>.
inline constexpr const char* kRouterName = "router";

/// True for labels no device is ever given, because clients look them up to configure
/// themselves and would trust whoever holds them: `wpad` (Web Proxy Auto-Discovery: a browser's
/// proxy), `isatap` (RFC 5214 tunnels), `localhost` (RFC 6761 6.3), the router's own name, and
/// labels starting with '_' (service and attribute labels, RFC 8552).
bool is_reserved_label(const std::string& label);

/// Answers whether a name is already held by another device.
using NameTaken = std::function<bool(const std::string&)>;

/// Picks the name for a new device: the sanitised hint, or hint-2, hint-3, ... when taken or
/// reserved; without a hint, a generated "adjective-surname" (re-drawn when taken, then numbered).
std::string assign_name(const std::string& hint, const NameTaken& taken,
                        Botan::RandomNumberGenerator& rng);

}  // namespace rca
