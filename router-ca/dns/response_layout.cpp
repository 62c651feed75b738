#include "dns/response_layout.hpp"

#include <algorithm>
#include <stdexcept>

namespace rca::dns {
namespace {

// RFC 1035 §4.1.1: ID, flags and four counts, two octets each.
constexpr size_t kHeaderSize = 12;
// An OPT record (RFC 6891 §6.1.2) with no options: root owner, type, class, TTL, RDLENGTH 0.
constexpr size_t kEmptyOptSize = 11;

}  // namespace

// The question's name comes first after the header, written whole because nothing precedes it to
// point at; the OPT record comes last (ldns_pkt2buffer_wire appends it after the additional
// section), owned by the root with empty RDATA.
ResponseLayout locate_layout(const std::vector<uint8_t>& wire, const ParsedQuery& query) {
    ResponseLayout layout;
    if (query.has_question) {
        layout.question_offset = kHeaderSize;
        layout.question_length = query.question_wire.size();
        if (wire.size() < kHeaderSize + layout.question_length ||
            !std::equal(query.question_wire.begin(), query.question_wire.end(),
                        wire.begin() + kHeaderSize))
            throw std::logic_error("the response's question is not the query's, uncompressed");
    }
    if (query.edns) {
        if (wire.size() < kHeaderSize + kEmptyOptSize)
            throw std::logic_error("the response does not end with an empty OPT record");
        const size_t opt = wire.size() - kEmptyOptSize;
        if (wire[opt] != 0 || wire[opt + 1] != 0 || wire[opt + 2] != 41 || wire[opt + 9] != 0 ||
            wire[opt + 10] != 0)
            throw std::logic_error("the response does not end with an empty OPT record");
        // The flags' high octet: after owner, type, class, extended RCODE and version.
        layout.do_octet = opt + 7;
    }
    return layout;
}

bool patch_response(std::vector<uint8_t>& wire, const ResponseLayout& layout,
                    const ParsedQuery& query) {
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
