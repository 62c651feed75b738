#include "dns/response_layout.hpp"

#include <algorithm>

namespace rca::dns {

bool patch_response(std::vector<uint8_t>& wire, const ResponseLayout& layout,
                    const ParsedQuery& query) {
    constexpr size_t kHeaderSize = 12;
    // Every octet written below must lie inside wire, and the question replaced must be exactly
    // as long as the one the query sent: a copy never takes its length from anywhere else.
    if (wire.size() < kHeaderSize || layout.question_offset < kHeaderSize ||
        layout.question_length != query.question_wire.size() ||
        layout.question_offset + layout.question_length > wire.size() ||
        (layout.do_octet && *layout.do_octet >= wire.size()))
        return false;
    wire[0] = static_cast<uint8_t>(query.id >> 8);
    wire[1] = static_cast<uint8_t>(query.id);
    if (query.rd) wire[2] |= 0x01;
    if (query.cd) wire[3] |= 0x10;
    std::copy(query.question_wire.begin(), query.question_wire.end(),
              wire.begin() + static_cast<std::ptrdiff_t>(layout.question_offset));
    if (layout.do_octet && query.dnssec_ok) wire[*layout.do_octet] |= 0x80;
    return true;
}

}  // namespace rca::dns
