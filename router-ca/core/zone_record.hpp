#pragma once
// The values a zone is made of and answers with: resource records of the few types router-ca
// serves (RFC 1035 §3.2-3.4), questions and answers. Plain values, no wire format: the DNS layer
// (router-ca/dns) turns them into packets with libldns.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/ipv4.hpp"

namespace rca {

/// RR type codes (RFC 1035 §3.2.2, RFC 3596 AAAA, RFC 5936 AXFR). Any other 16-bit value may be
/// asked for; the zone answers NODATA for types it does not hold.
enum class RrType : uint16_t {
    a = 1,
    ns = 2,
    soa = 6,
    ptr = 12,
    txt = 16,
    aaaa = 28,
    opt = 41,
    ixfr = 251,
    axfr = 252,
    any = 255,
};

/// The only class the zone holds (RFC 1035 §3.2.4); ANY (255) is accepted in questions.
inline constexpr uint16_t kClassIn = 1;
/// QCLASS "*" (RFC 1035 §3.2.5).
inline constexpr uint16_t kClassAny = 255;

/// Response codes the zone produces (RFC 1035 §4.1.1).
enum class Rcode : uint8_t {
    noerror = 0,
    formerr = 1,
    servfail = 2,
    nxdomain = 3,
    notimp = 4,
    refused = 5
};

/// SOA RDATA (RFC 1035 §3.3.13). rname is a mailbox written as a name (hostmaster.example).
struct SoaData {
    std::string mname;
    std::string rname;
    uint32_t serial = 0;
    uint32_t refresh = 0;
    uint32_t retry = 0;
    uint32_t expire = 0;
    uint32_t minimum = 0;  ///< the negative-caching TTL (RFC 2308 §4)
    /// Equal fields, names compared case-insensitively.
    bool operator==(const SoaData& o) const;
};

/// RDATA that is one domain name: NS and PTR.
struct NameData {
    std::string name;
    /// Same name, spelled the same (the zone stores names canonical).
    bool operator==(const NameData& o) const { return name == o.name; }
};

/// TXT RDATA: one or more character-strings of at most 255 bytes each (RFC 1035 §3.3.14).
struct TxtData {
    std::vector<std::string> strings;
    /// Same strings in the same order.
    bool operator==(const TxtData& o) const { return strings == o.strings; }
};

/// The RDATA of a record: A -> Ipv4, NS/PTR -> NameData, TXT -> TxtData, SOA -> SoaData.
using Rdata = std::variant<Ipv4, NameData, TxtData, SoaData>;

/// One resource record of class IN.
struct ResourceRecord {
    std::string name;  ///< owner, presentation text without the final dot
    RrType type = RrType::a;
    uint32_t ttl = 0;
    Rdata data;

    /// An A record.
    static ResourceRecord a(std::string name, uint32_t ttl, Ipv4 address);
    /// An NS record pointing at host.
    static ResourceRecord ns(std::string name, uint32_t ttl, std::string host);
    /// A PTR record pointing at target.
    static ResourceRecord ptr(std::string name, uint32_t ttl, std::string target);
    /// A TXT record of one or more strings.
    static ResourceRecord txt(std::string name, uint32_t ttl, std::vector<std::string> strings);
    /// The SOA record of a zone whose apex is name.
    static ResourceRecord soa(std::string name, uint32_t ttl, SoaData soa);

    /// Same owner (case-insensitively), type and RDATA; the TTL does not count (RFC 2181 §5).
    bool same_data(const ResourceRecord& o) const;
};

/// A question (RFC 1035 §4.1.2); name in presentation text, any case, final dot optional.
struct Question {
    std::string name;
    uint16_t type = static_cast<uint16_t>(RrType::a);
    uint16_t qclass = kClassIn;
};

/// What a zone says to a question, before it is put on the wire.
struct ZoneAnswer {
    Rcode rcode = Rcode::refused;
    bool authoritative = false;  ///< AA: set for every answer from inside a zone we hold
    std::vector<ResourceRecord> answer;
    std::vector<ResourceRecord> authority;
    std::vector<ResourceRecord> additional;
};

}  // namespace rca
