#include "core/zone_nodes.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/zone_name.hpp"

namespace rca {

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

void ZoneNodes::touch(const std::string& owner) { nodes_.try_emplace(owner); }

void ZoneNodes::add(const ResourceRecord& rr) {
    if (!is_zone_name(rr.name))
        throw std::invalid_argument("record owner " + rr.name + " is not a valid name");
    if (rr.type == RrType::soa || !rdata_matches_type(rr))
        throw std::invalid_argument("record " + rr.name + " has data that does not match its type");
    StoredRecord stored{rr.type, rr.ttl, Ipv4{}};
    if (const auto* n = std::get_if<NameData>(&rr.data)) {
        stored.data = NameData{canonical_name(n->name)};
    } else if (const auto* t = std::get_if<TxtData>(&rr.data)) {
        stored.data = *t;
    } else {
        stored.data = std::get<Ipv4>(rr.data);
    }
    auto& node = nodes_[rr.name];
    const bool duplicate = std::any_of(node.begin(), node.end(), [&](const StoredRecord& o) {
        return o.type == stored.type && o.data == stored.data;
    });
    if (duplicate) return;
    node.push_back(std::move(stored));
    ++record_count_;
}

void ZoneNodes::add_empty_non_terminals(const std::string& top, bool include_top) {
    std::vector<std::string> owners;
    owners.reserve(nodes_.size());
    for (const auto& node : nodes_) owners.push_back(node.first);
    for (const auto& owner : owners) {
        for (std::string_view n = parent_name(owner); n.size() > top.size(); n = parent_name(n))
            nodes_.try_emplace(std::string(n));
    }
    if (include_top && !nodes_.empty()) nodes_.try_emplace(top);
}

const std::vector<ZoneNodes::StoredRecord>* ZoneNodes::find(const std::string& canonical) const {
    const auto found = nodes_.find(canonical);
    return found == nodes_.end() ? nullptr : &found->second;
}

ResourceRecord ZoneNodes::to_record(const std::string& name, const StoredRecord& stored) {
    ResourceRecord rr{name, stored.type, stored.ttl, Ipv4{}};
    std::visit([&](const auto& data) { rr.data = data; }, stored.data);
    return rr;
}

}  // namespace rca
