#include "dns/dns_counters.hpp"

#include "core/zone_record.hpp"
#include "dns/response_writer.hpp"

namespace rca::dns {

void DnsCounters::count(const DnsReply& reply) {
    bump(queries_);
    if (reply.drop) return bump(dropped_);
    if (reply.truncated) bump(truncated_);
    switch (reply.rcode) {
        case static_cast<uint16_t>(Rcode::noerror):
            return bump(noerror_);
        case static_cast<uint16_t>(Rcode::nxdomain):
            return bump(nxdomain_);
        case static_cast<uint16_t>(Rcode::refused):
            return bump(refused_);
        case static_cast<uint16_t>(Rcode::formerr):
            return bump(formerr_);
        case static_cast<uint16_t>(Rcode::notimp):
            return bump(notimp_);
        case kRcodeBadvers:
            return bump(badvers_);
        default:
            return;
    }
}

DnsStats DnsCounters::snapshot() const {
    const auto r = [](const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); };
    DnsStats s;
    s.queries = r(queries_);
    s.noerror = r(noerror_);
    s.nxdomain = r(nxdomain_);
    s.refused = r(refused_);
    s.formerr = r(formerr_);
    s.notimp = r(notimp_);
    s.badvers = r(badvers_);
    s.dropped = r(dropped_);
    s.truncated = r(truncated_);
    s.tcp_accepted = r(tcp_accepted_);
    s.tcp_rejected = r(tcp_rejected_);
    s.tcp_timeouts = r(tcp_timeouts_);
    return s;
}

}  // namespace rca::dns
