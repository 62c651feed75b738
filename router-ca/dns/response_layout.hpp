#pragma once
// Where a written response keeps the octets that differ between two queries asking the same
// question: the contract between the response writer, which puts them there and records where,
// and the response cache, which patches a response built for one query into the answer to another.
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

/// Turns `wire`, written for a query with ID 0, RD, CD and DO clear and a name spelled as any
/// other query may spell it, into the response to `query`: its ID, RD, CD, DO and the exact
/// octets of its question's name. False (wire unspecified) when the layout does not fit wire or
/// query, which only a bug can cause.
bool patch_response(std::vector<uint8_t>& wire, const ResponseLayout& layout,
                    const ParsedQuery& query);

}  // namespace rca::dns
