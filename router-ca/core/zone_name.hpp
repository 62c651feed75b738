#pragma once
// Domain names as the zone code handles them: presentation text (RFC 1035 §5.1) without the final
// dot, where a byte that is not printable, a '.' inside a label or a backslash is escaped ("\.",
// "\\", "\DDD"), so that text and wire form map one to one. Comparison is case-insensitive for
// ASCII letters only (RFC 4343 §3).
#include <string>
#include <string_view>

#include "core/ipv4.hpp"

namespace rca {

/// The name with ASCII letters lowered and one final dot removed: the key the zone code looks up.
std::string canonical_name(std::string_view name);

/// True when the canonical name equals the canonical apex or lies below it on a label boundary.
bool name_in_zone(std::string_view name, std::string_view apex);

/// The name without its first label ("a.b.c" -> "b.c", "c" -> ""), honouring escaped dots.
std::string_view parent_name(std::string_view name);

/// True for a name the zone may hold: non-empty LDH-or-underscore labels of 1-63 bytes, at most
/// 253 characters in all (RFC 1035 §2.3.4; '_' for service labels such as _acme-challenge).
bool is_zone_name(std::string_view name);

/// The reverse-mapping name of an address, "d.c.b.a.in-addr.arpa" (RFC 1035 §3.5).
std::string reverse_name(Ipv4 address);

}  // namespace rca
