#include "core/zone_shards.hpp"

#include <mutex>
#include <stdexcept>

#include "core/zone_name.hpp"

namespace rca {

ZoneShards::ZoneShards(const std::string& apex) : apex_(canonical_name(apex)) {
    if (!is_zone_name(apex_)) throw std::invalid_argument("zone apex is not a valid name: " + apex);
}

std::shared_ptr<const ZoneNodes> ZoneShards::build(const std::string& root,
                                                   std::vector<ResourceRecord> records) const {
    if (!is_zone_name(root) || root == apex_ || !name_in_zone(root, apex_))
        throw std::invalid_argument("shard root " + root + " is not below zone " + apex_);
    auto nodes = std::make_shared<ZoneNodes>();
    for (auto& rr : records) {
        rr.name = canonical_name(rr.name);
        if (!name_in_zone(rr.name, root))
            throw std::invalid_argument("record owner " + rr.name + " is not inside " + root);
        nodes->add(rr);
    }
    // The root exists while its shard does (it is a home's name: NODATA, not NXDOMAIN).
    nodes->add_empty_non_terminals(root, true);
    return nodes;
}

void ZoneShards::replace(const std::string& root, std::vector<ResourceRecord> records) {
    const std::string key = canonical_name(root);
    const bool remove = records.empty();
    auto nodes = build(key, std::move(records));  // checked before the lock, changes nothing
    const std::unique_lock<std::shared_mutex> lock(mutex_);
    if (remove)
        shards_.erase(key);
    else
        shards_[key] = std::move(nodes);
}

void ZoneShards::replace_all(const std::map<std::string, std::vector<ResourceRecord>>& shards) {
    std::unordered_map<std::string, std::shared_ptr<const ZoneNodes>> fresh;
    fresh.reserve(shards.size());
    for (const auto& [root, records] : shards) {
        if (records.empty()) continue;
        const std::string key = canonical_name(root);
        fresh[key] = build(key, records);
    }
    const std::unique_lock<std::shared_mutex> lock(mutex_);
    shards_.swap(fresh);
}

std::shared_ptr<const ZoneNodes> ZoneShards::find(const std::string& canonical) const {
    const std::string root = root_of(canonical);
    if (root.empty()) return nullptr;
    const std::shared_lock<std::shared_mutex> lock(mutex_);
    const auto found = shards_.find(root);
    return found == shards_.end() ? nullptr : found->second;
}

std::string ZoneShards::root_of(const std::string& name) const {
    const std::string canonical = canonical_name(name);
    if (canonical.size() <= apex_.size() || !name_in_zone(canonical, apex_)) return "";
    std::string_view n = canonical;
    while (parent_name(n).size() > apex_.size()) n = parent_name(n);
    return std::string(n);
}

size_t ZoneShards::size() const {
    const std::shared_lock<std::shared_mutex> lock(mutex_);
    return shards_.size();
}

}  // namespace rca
