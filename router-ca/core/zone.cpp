#include "core/zone.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/zone_name.hpp"

namespace rca {

namespace {

bool rdata_matches_type(const ResourceRecord& rr) {
    switch (rr.type) {
        case RrType::a:
            return std::holds_alternative<Ipv4>(rr.data);
        case RrType::ns:
        case RrType::ptr: {
            const auto* n = std::get_if<NameData>(&rr.data);
            return n && is_zone_name(canonical_name(n->name));
        }
        case RrType::txt: {
            const auto* t = std::get_if<TxtData>(&rr.data);
            if (!t || t->strings.empty()) return false;
            return std::all_of(t->strings.begin(), t->strings.end(),
                               [](const std::string& s) { return s.size() <= 255; });
        }
        case RrType::soa: {
            const auto* s = std::get_if<SoaData>(&rr.data);
            return s && is_zone_name(canonical_name(s->mname)) &&
                   is_zone_name(canonical_name(s->rname));
        }
        default:
            return false;
    }
}

// SOA timers. Neither router-ca nor HQ has secondaries, so REFRESH, RETRY and EXPIRE only matter
// to a tool that reads them; they hold the usual values of RFC 1912 §2.2.
constexpr uint32_t kRefresh = 3600;    // 1 h
constexpr uint32_t kRetry = 600;       // 10 min
constexpr uint32_t kExpire = 1209600;  // 2 weeks (RFC 1912: 2-4 weeks)

}  // namespace

SoaData standard_soa(const std::string& apex, const std::string& mname, uint32_t serial,
                     uint32_t negative_ttl) {
    SoaData soa;
    soa.mname = mname;
    soa.rname = "hostmaster." + canonical_name(apex);  // RFC 2142 §7: the mailbox for DNS matters
    soa.serial = serial;
    soa.refresh = kRefresh;
    soa.retry = kRetry;
    soa.expire = kExpire;
    soa.minimum = negative_ttl;
    return soa;
}

Zone::Zone(const std::string& apex, std::vector<ResourceRecord> records)
    : apex_(canonical_name(apex)) {
    if (!is_zone_name(apex_)) throw std::invalid_argument("zone apex is not a valid name: " + apex);
    bool have_soa = false;
    for (auto& rr : records) {
        rr.name = canonical_name(rr.name);
        if (!is_zone_name(rr.name) || !name_in_zone(rr.name, apex_))
            throw std::invalid_argument("record owner " + rr.name + " is not inside zone " + apex_);
        if (!rdata_matches_type(rr))
            throw std::invalid_argument("record " + rr.name +
                                        " has data that does not match its type");
        if (rr.type == RrType::soa) {
            if (rr.name != apex_ || have_soa)
                throw std::invalid_argument("zone " + apex_ +
                                            " needs exactly one SOA, at its apex");
            have_soa = true;
            soa_ = rr;
        }
        auto& node = nodes_[rr.name];
        if (rr.type == RrType::soa) {
            ++record_count_;
            continue;  // kept in soa_, answered from there
        }
        StoredRecord stored{rr.type, rr.ttl, Ipv4{}};
        if (auto* n = std::get_if<NameData>(&rr.data)) {
            stored.data = NameData{canonical_name(n->name)};
        } else if (auto* t = std::get_if<TxtData>(&rr.data)) {
            stored.data = std::move(*t);
        } else {
            stored.data = std::get<Ipv4>(rr.data);
        }
        // RFC 2181 §5: an RRset holds no duplicates (TTLs aside).
        const bool duplicate = std::any_of(node.begin(), node.end(), [&](const StoredRecord& o) {
            return o.type == stored.type && o.data == stored.data;
        });
        if (duplicate) continue;
        node.push_back(std::move(stored));
        ++record_count_;
    }
    if (!have_soa) throw std::invalid_argument("zone " + apex_ + " has no SOA record");
    // Every name between an owner and the apex exists, even without records of its own.
    std::vector<std::string> owners;
    owners.reserve(nodes_.size());
    for (const auto& node : nodes_) owners.push_back(node.first);
    for (const auto& owner : owners) {
        for (std::string_view n = parent_name(owner); n.size() > apex_.size(); n = parent_name(n))
            nodes_.try_emplace(std::string(n));
    }
}

ResourceRecord Zone::to_record(const std::string& name, const StoredRecord& stored) {
    ResourceRecord rr{name, stored.type, stored.ttl, Ipv4{}};
    std::visit([&](const auto& data) { rr.data = data; }, stored.data);
    return rr;
}

ResourceRecord Zone::negative_soa() const {
    ResourceRecord soa = soa_;
    soa.ttl = std::min(soa_.ttl, std::get<SoaData>(soa_.data).minimum);
    return soa;
}

ZoneAnswer Zone::answer(const Question& question) const {
    return answer(question, canonical_name(question.name));
}

ZoneAnswer Zone::answer(const Question& question, const std::string& canonical) const {
    ZoneAnswer out;
    if ((question.qclass != kClassIn && question.qclass != kClassAny) ||
        !name_in_zone(canonical, apex_))
        return out;  // REFUSED, not authoritative: we hold no such zone, and never recurse
    const auto qtype = static_cast<RrType>(question.type);
    if (qtype == RrType::axfr || qtype == RrType::ixfr)
        return out;  // zone transfers are refused (RFC 5936 §4.2: REFUSED is the usual answer)

    out.authoritative = true;
    const auto node = nodes_.find(canonical);
    if (node == nodes_.end()) {
        out.rcode = Rcode::nxdomain;
        out.authority.push_back(negative_soa());
        return out;
    }
    out.rcode = Rcode::noerror;
    // Owners are spelled as asked: RFC 4343 §4.1 asks servers to preserve the question's case.
    std::string owner = question.name;
    if (!owner.empty() && owner.back() == '.') owner.pop_back();
    if (canonical == apex_ && (qtype == RrType::soa || qtype == RrType::any)) {
        out.answer.push_back(soa_);
        out.answer.back().name = owner;
    }
    for (const auto& rr : node->second)
        if (qtype == RrType::any || rr.type == qtype) out.answer.push_back(to_record(owner, rr));
    if (out.answer.empty()) {
        out.authority.push_back(negative_soa());
        return out;
    }
    // Addresses of in-zone name servers ride along as additional data (RFC 1034 §4.3.2 step 6).
    for (const auto& rr : out.answer) {
        if (rr.type != RrType::ns) continue;
        const auto target = nodes_.find(canonical_name(std::get<NameData>(rr.data).name));
        if (target == nodes_.end()) continue;
        for (const auto& glue : target->second)
            if (glue.type == RrType::a) out.additional.push_back(to_record(target->first, glue));
    }
    return out;
}

}  // namespace rca
