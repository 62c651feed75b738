#pragma once
// Where a written response keeps the octets that differ between two queries asking the same
// question: the one contract between the response writer, which records it with locate_layout()
// from the bytes it wrote, and the response cache, which patches a response built for one query
// into the answer to another with patch_response(). Neither knows the other's byte layout: the
// question's name uncompressed at offset 12, right after the header, and the OPT record last.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "dns/query_parser.hpp"

namespace rca::dns {

/// The patchable octets of one written response. The ID and the RD and CD bits sit in the header
/// (RFC 1035 §4.1.1); the rest is recorded by the writer from the bytes it wrote.
struct ResponseLayout {
    /// The question's name occupies [question_offset, question_offset + question_length),
    /// uncompressed; every other name equal to it is literal zone data or a pointer into it.
    size_t question_offset = 0;
    size_t question_length = 0;
    /// The octet holding the OPT record's DO bit (RFC 3225), when the response has an OPT.
    std::optional<size_t> do_octet;
};

/// The layout of `wire`, a response libldns wrote for `query`, checked rather than assumed: the
/// question's name uncompressed right after the header, and (when the query had EDNS) an empty
/// OPT record last. Throws std::logic_error when wire is not laid out so, which only a change in
/// how responses are written can cause.
ResponseLayout locate_layout(const std::vector<uint8_t>& wire, const ParsedQuery& query);

/// Turns `wire`, written for a query with ID 0, RD, CD and DO clear and a name spelled as any
/// other query may spell it, into the response to `query`: its ID, RD, CD, DO and the exact
/// octets of its question's name. False (wire unspecified) when the layout does not fit wire or
/// query, which only a bug can cause.
bool patch_response(std::vector<uint8_t>& wire, const ResponseLayout& layout,
                    const ParsedQuery& query);

}  // namespace rca::dns
