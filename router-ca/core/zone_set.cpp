#include "core/zone_set.hpp"

#include <stdexcept>

#include "core/zone_name.hpp"

namespace rca {

ZoneSet::ZoneSet(std::vector<Zone> zones) : zones_(std::move(zones)) {
    for (size_t i = 0; i < zones_.size(); ++i) {
        if (!by_apex_.emplace(zones_[i].apex(), i).second)
            throw std::invalid_argument("two zones with apex " + zones_[i].apex());
    }
}

const Zone* ZoneSet::find_canonical(const std::string& canonical) const {
    if (by_apex_.empty()) return nullptr;
    // Walk up from the name itself: the first apex met is the longest enclosing one.
    for (std::string_view n = canonical; !n.empty(); n = parent_name(n)) {
        const auto found = by_apex_.find(std::string(n));
        if (found != by_apex_.end()) return &zones_[found->second];
    }
    return nullptr;
}

const Zone* ZoneSet::find_zone(const std::string& name) const {
    return find_canonical(canonical_name(name));
}

ZoneAnswer ZoneSet::answer(const Question& question) const {
    const std::string canonical = canonical_name(question.name);
    const Zone* zone = find_canonical(canonical);
    if (!zone) return ZoneAnswer{};  // REFUSED (RFC 1035 §4.1.1: "for policy reasons")
    return zone->answer(question, canonical);
}

}  // namespace rca
