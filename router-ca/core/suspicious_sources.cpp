#include "core/suspicious_sources.hpp"

#include <map>
#include <set>

namespace rca {

std::vector<SuspiciousSource> suspicious_sources(const std::vector<EnrolmentRequest>& stored,
                                                 std::chrono::seconds lookback) {
    std::map<std::string, SuspiciousSource> by_source;
    std::set<std::string> approved;
    for (const auto& r : stored) {
        if (r.source.empty()) continue;
        if (r.status == RequestStatus::issued) approved.insert(r.source);
        auto [it, added] = by_source.try_emplace(r.source);
        SuspiciousSource& s = it->second;
        if (added) {
            s.source = r.source;
            s.first_seen = s.last_seen = r.received_at;
        }
        s.first_seen = std::min(s.first_seen, r.received_at);
        s.last_seen = std::max(s.last_seen, r.received_at);
        ++s.requests;
        if (r.status == RequestStatus::overlap) ++s.overlaps;
    }
    std::vector<SuspiciousSource> found;
    for (const auto& [source, s] : by_source)
        if (!approved.count(source) && (s.last_seen - s.first_seen > lookback || s.overlaps >= 2))
            found.push_back(s);
    return found;
}

}  // namespace rca
