#pragma once
// Reads a DNS query (RFC 1035 §4.1) that may be hostile. The whole message is walked and checked
// (every name, every record's length, at most one OPT, nothing after the last record) before
// anything is answered; libldns decodes the question's name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dns/ldns_handles.hpp"

namespace rca::dns {

/// What to do with a received message.
enum class QueryVerdict {
    answer,   ///< a well-formed QUERY with one question: look it up
    drop,     ///< no reply at all: too short to be a header, or a response (QR set)
    formerr,  ///< reply FORMERR: the message is malformed
    notimp,   ///< reply NOTIMP: an opcode other than QUERY (RFC 1035 §4.1.1)
    badvers,  ///< reply BADVERS: EDNS version above 0 (RFC 6891 §6.1.3)
};

/// A checked query; fields past `verdict` are meaningful as far as the verdict allows.
struct ParsedQuery {
    QueryVerdict verdict = QueryVerdict::drop;
    uint16_t id = 0;
    uint8_t opcode = 0;
    bool rd = false;            ///< copied into the response (RFC 1035 §4.1.1)
    bool cd = false;            ///< copied into the response (RFC 6840 §5.9)
    bool has_question = false;  ///< one question was decoded (for answer, notimp and badvers)
    LdnsRdf qname;              ///< the question's name, exactly as sent (case preserved)
    /// The octets the question's name occupied on the wire, copied by the span the parser walked
    /// (never by a decoded length). Equal to qname's octets: a question name is never compressed.
    std::vector<uint8_t> question_wire;
    std::string qname_text;  ///< its presentation text, see wire_name_text
    uint16_t qtype = 0;
    uint16_t qclass = 0;
    bool edns = false;      ///< the query carried a valid OPT record (RFC 6891)
    uint16_t udp_size = 0;  ///< the requestor's UDP payload size, as sent
    uint8_t edns_version = 0;
    bool dnssec_ok = false;  ///< the DO bit (RFC 3225), echoed back
};

/// Checks and decodes a received message.
ParsedQuery parse_query(const uint8_t* packet, size_t length);

}  // namespace rca::dns
