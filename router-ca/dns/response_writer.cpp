#include "dns/response_writer.hpp"

#include <memory>
#include <new>
#include <string>
#include <utility>
#include <variant>

namespace rca::dns {

namespace {

// libldns reports allocation failure by returning null; here that is std::bad_alloc.
template <class T>
T* checked(T* p) {
    if (!p) throw std::bad_alloc();
    return p;
}

// A domain name from zone text; an answer owner equal to the question's text reuses the
// question's exact bytes so that its case is preserved (RFC 4343 §4.1).
ldns_rdf* name_rdf(const std::string& text, const ParsedQuery& q) {
    if (q.qname && text == q.qname_text) return checked(ldns_rdf_clone(q.qname.get()));
    return checked(ldns_dname_new_frm_str((text + ".").c_str()));
}

void push_rdf(ldns_rr* rr, ldns_rdf* rdf) {
    if (!ldns_rr_push_rdf(rr, rdf)) {
        ldns_rdf_deep_free(rdf);
        throw std::bad_alloc();
    }
}

ldns_rdf* int32_rdf(ldns_rdf_type type, uint32_t value) {
    return checked(ldns_native2rdf_int32(type, value));
}

LdnsRr to_ldns(const ResourceRecord& record, const ParsedQuery& q) {
    LdnsRr rr(checked(ldns_rr_new()));
    ldns_rr_set_owner(rr.get(), name_rdf(record.name, q));
    ldns_rr_set_type(rr.get(), static_cast<ldns_rr_type>(record.type));
    ldns_rr_set_class(rr.get(), LDNS_RR_CLASS_IN);
    ldns_rr_set_ttl(rr.get(), record.ttl);
    if (const auto* address = std::get_if<Ipv4>(&record.data)) {
        const uint8_t bytes[4] = {
            static_cast<uint8_t>(address->value >> 24), static_cast<uint8_t>(address->value >> 16),
            static_cast<uint8_t>(address->value >> 8), static_cast<uint8_t>(address->value)};
        push_rdf(rr.get(), checked(ldns_rdf_new_frm_data(LDNS_RDF_TYPE_A, 4, bytes)));
    } else if (const auto* name = std::get_if<NameData>(&record.data)) {
        push_rdf(rr.get(), name_rdf(name->name, q));
    } else if (const auto* txt = std::get_if<TxtData>(&record.data)) {
        for (const auto& s : txt->strings) {
            std::string counted(1, static_cast<char>(s.size()));
            counted += s;
            push_rdf(rr.get(), checked(ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR, counted.size(),
                                                             counted.data())));
        }
    } else if (const auto* soa = std::get_if<SoaData>(&record.data)) {
        push_rdf(rr.get(), name_rdf(soa->mname, q));
        push_rdf(rr.get(), name_rdf(soa->rname, q));
        push_rdf(rr.get(), int32_rdf(LDNS_RDF_TYPE_INT32, soa->serial));
        push_rdf(rr.get(), int32_rdf(LDNS_RDF_TYPE_PERIOD, soa->refresh));
        push_rdf(rr.get(), int32_rdf(LDNS_RDF_TYPE_PERIOD, soa->retry));
        push_rdf(rr.get(), int32_rdf(LDNS_RDF_TYPE_PERIOD, soa->expire));
        push_rdf(rr.get(), int32_rdf(LDNS_RDF_TYPE_PERIOD, soa->minimum));
    }
    return rr;
}

void push_rr(ldns_pkt* pkt, ldns_pkt_section section, LdnsRr rr) {
    if (!ldns_pkt_push_rr(pkt, section, rr.get())) throw std::bad_alloc();
    rr.release();  // the packet owns it now
}

// The header, the question and the OPT record every response starts from.
LdnsPkt start_response(const ParsedQuery& q, uint16_t rcode, bool authoritative) {
    LdnsPkt pkt(checked(ldns_pkt_new()));
    ldns_pkt* p = pkt.get();
    ldns_pkt_set_id(p, q.id);
    ldns_pkt_set_qr(p, true);
    ldns_pkt_set_opcode(p, static_cast<ldns_pkt_opcode>(q.opcode));
    ldns_pkt_set_aa(p, authoritative);
    ldns_pkt_set_rd(p, q.rd);
    ldns_pkt_set_cd(p, q.cd);
    ldns_pkt_set_ra(p, false);  // no recursion here, ever
    ldns_pkt_set_rcode(p, static_cast<uint8_t>(rcode & 0x0f));
    if (q.has_question) {
        LdnsRr question(checked(ldns_rr_new()));
        ldns_rr_set_owner(question.get(), checked(ldns_rdf_clone(q.qname.get())));
        ldns_rr_set_type(question.get(), static_cast<ldns_rr_type>(q.qtype));
        ldns_rr_set_class(question.get(), static_cast<ldns_rr_class>(q.qclass));
        ldns_rr_set_question(question.get(), true);
        push_rr(p, LDNS_SECTION_QUESTION, std::move(question));
    }
    if (q.edns) {
        // RFC 6891 §6.1.1/§7: answer an OPT with an OPT, version 0, our own payload size; the
        // DO bit is copied (RFC 3225 §3).
        ldns_pkt_set_edns_udp_size(p, kUdpPayloadCap);
        ldns_pkt_set_edns_version(p, 0);
        ldns_pkt_set_edns_extended_rcode(p, static_cast<uint8_t>(rcode >> 4));
        ldns_pkt_set_edns_do(p, q.dnssec_ok);
    }
    return pkt;
}

struct LdnsBufferFree {
    void operator()(ldns_buffer* b) const { ldns_buffer_free(b); }
};

std::vector<uint8_t> encode(const ldns_pkt* pkt) {
    // One buffer per thread, reused: ldns_pkt2wire would allocate (and free) 64 KiB for every
    // response, which costs more than building the response itself.
    thread_local std::unique_ptr<ldns_buffer, LdnsBufferFree> buffer(ldns_buffer_new(4096));
    if (!buffer) throw std::bad_alloc();
    ldns_buffer_clear(buffer.get());
    if (ldns_pkt2buffer_wire(buffer.get(), pkt) != LDNS_STATUS_OK)
        throw std::bad_alloc();  // ldns fails here only when it cannot allocate
    const uint8_t* data = ldns_buffer_begin(buffer.get());
    return std::vector<uint8_t>(data, data + ldns_buffer_position(buffer.get()));
}

WrittenResponse written(const ldns_pkt* pkt, const ParsedQuery& q, bool truncated) {
    WrittenResponse out{encode(pkt), truncated, {}};
    out.layout = locate_layout(out.wire, q);
    return out;
}

enum class Sections { all, without_additional, none };

WrittenResponse encode_answer(const ParsedQuery& q, const ZoneAnswer& a, Sections sections) {
    LdnsPkt pkt = start_response(q, static_cast<uint16_t>(a.rcode), a.authoritative);
    if (sections == Sections::none) {
        ldns_pkt_set_tc(pkt.get(), true);
        return written(pkt.get(), q, true);
    }
    for (const auto& rr : a.answer) push_rr(pkt.get(), LDNS_SECTION_ANSWER, to_ldns(rr, q));
    for (const auto& rr : a.authority) push_rr(pkt.get(), LDNS_SECTION_AUTHORITY, to_ldns(rr, q));
    if (sections == Sections::all)
        for (const auto& rr : a.additional)
            push_rr(pkt.get(), LDNS_SECTION_ADDITIONAL, to_ldns(rr, q));
    return written(pkt.get(), q, false);
}

}  // namespace

WrittenResponse write_bare_response(const ParsedQuery& query, uint16_t rcode, bool authoritative) {
    return written(start_response(query, rcode, authoritative).get(), query, false);
}

WrittenResponse write_zone_response(const ParsedQuery& query, const ZoneAnswer& answer,
                                    size_t max_size) {
    WrittenResponse out = encode_answer(query, answer, Sections::all);
    if (out.wire.size() <= max_size) return out;
    if (!answer.additional.empty()) {
        out = encode_answer(query, answer, Sections::without_additional);
        if (out.wire.size() <= max_size) return out;
    }
    // RFC 2181 §9: an RRset that does not fit whole is not sent in part; set TC so the client
    // asks again over TCP (RFC 7766 §5), which carries up to 65,535 octets.
    return encode_answer(query, answer, Sections::none);
}

}  // namespace rca::dns
