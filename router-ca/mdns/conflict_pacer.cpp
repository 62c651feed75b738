#include "mdns/conflict_pacer.hpp"

namespace rca::mdns {

std::chrono::milliseconds ConflictPacer::on_conflict(TimePoint now) {
    while (!recent_.empty() && now - recent_.front() >= kWindow) recent_.pop_front();
    recent_.push_back(now);
    if (recent_.size() < kConflictsBeforeWaiting) return std::chrono::milliseconds{0};
    return kWait;
}

}  // namespace rca::mdns
