#pragma once
// Owning handles for the libldns objects the DNS layer creates (house style #13: RAII wrappers
// for C handles), so an early return or an exception never leaks one.
#include <ldns/ldns.h>

#include <memory>

namespace rca::dns {

/// Frees an ldns_pkt and everything it holds.
struct LdnsPktFree {
    void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
/// Frees an ldns_rr and its rdfs.
struct LdnsRrFree {
    void operator()(ldns_rr* r) const { ldns_rr_free(r); }
};
/// Frees an ldns_rdf and its data.
struct LdnsRdfFree {
    void operator()(ldns_rdf* r) const { ldns_rdf_deep_free(r); }
};

/// An owned packet.
using LdnsPkt = std::unique_ptr<ldns_pkt, LdnsPktFree>;
/// An owned resource record.
using LdnsRr = std::unique_ptr<ldns_rr, LdnsRrFree>;
/// An owned rdata field (here: a domain name).
using LdnsRdf = std::unique_ptr<ldns_rdf, LdnsRdfFree>;

}  // namespace rca::dns
