#pragma once
// Domain names on the wire (RFC 1035 §3.1, §4.1.4), checked more strictly than libldns does: a
// query is hostile input, and libldns follows up to 65,535 compression pointers per name, accepts
// pointers that point forward, and leaves label types 01/10 to a length check.
#include <cstddef>
#include <cstdint>
#include <string>

#include <ldns/ldns.h>

namespace rca::dns {

/// At most this many compression pointers in one name: a legal name has at most 127 labels, and
/// no encoder needs more than one pointer per label.
inline constexpr int kMaxPointerHops = 127;

/// Checks the name starting at pos and moves pos past it (past the first pointer when compressed).
/// False, pos unspecified, for: a name running past length, a label type other than 00 or 11
/// (RFC 6891 §5 retired 01; 10 is reserved), a pointer whose target is not in the message body
/// strictly before the start of the labels that lead to it (so no loop is possible, and a name
/// never points into itself), more than kMaxPointerHops pointers, or a name longer than 255
/// octets.
bool skip_wire_name(const uint8_t* wire, size_t length, size_t& pos);

/// The presentation text of an uncompressed wire name (an LDNS_RDF_TYPE_DNAME), without the final
/// dot; "" for the root. '.' and '\' inside a label are escaped with '\', bytes outside 0x21-0x7e
/// as \DDD (RFC 1035 §5.1), so distinct wire names never share a text.
std::string wire_name_text(const ldns_rdf* name);

}  // namespace rca::dns
