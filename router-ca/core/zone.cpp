#include "core/zone.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/zone_name.hpp"

namespace rca {

namespace {

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
    : Zone(apex, std::move(records), nullptr) {}

Zone::Zone(const std::string& apex, std::vector<ResourceRecord> records,
           std::shared_ptr<const ZoneShards> shards)
    : apex_(canonical_name(apex)), shards_(std::move(shards)) {
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
            nodes_.touch(rr.name);
            ++record_count_;
            continue;  // kept in soa_, answered from there
        }
        const size_t before = nodes_.record_count();
        nodes_.add(rr);
        record_count_ += nodes_.record_count() - before;
    }
    if (!have_soa) throw std::invalid_argument("zone " + apex_ + " has no SOA record");
    // Every name between an owner and the apex exists, even without records of its own.
    nodes_.add_empty_non_terminals(apex_, false);
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
    const auto* node = nodes_.find(canonical);
    // A shard is held until the answer is made: its writer may replace it meanwhile.
    std::shared_ptr<const ZoneNodes> shard;
    if (!node && shards_) {
        shard = shards_->find(canonical);
        if (shard) node = shard->find(canonical);
    }
    if (!node) {
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
    for (const auto& rr : *node)
        if (qtype == RrType::any || rr.type == qtype)
            out.answer.push_back(ZoneNodes::to_record(owner, rr));
    if (out.answer.empty()) {
        out.authority.push_back(negative_soa());
        return out;
    }
    // Addresses of in-zone name servers ride along as additional data (RFC 1034 §4.3.2 step 6).
    for (const auto& rr : out.answer) {
        if (rr.type != RrType::ns) continue;
        const std::string target = canonical_name(std::get<NameData>(rr.data).name);
        const auto* glue_records = nodes_.find(target);
        if (!glue_records) continue;
        for (const auto& glue : *glue_records)
            if (glue.type == RrType::a)
                out.additional.push_back(ZoneNodes::to_record(target, glue));
    }
    return out;
}

}  // namespace rca
