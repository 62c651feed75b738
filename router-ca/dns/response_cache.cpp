#include "dns/response_cache.hpp"

namespace rca::dns {

void ResponseCache::use(const std::shared_ptr<const ZoneSet>& zones) {
    if (zones == zones_) return;
    entries_.clear();
    zones_ = zones;
}

const ResponseCache::Entry* ResponseCache::find(const std::string& key) const {
    const auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
}

void ResponseCache::store(const std::string& key, Entry entry) {
    if (max_entries_ == 0) return;
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = std::move(entry);
}

}  // namespace rca::dns
