#include "core/zone_holder.hpp"

#include <utility>

namespace rca {

ZoneHolder::ZoneHolder() : zones_(std::make_shared<const ZoneSet>()) {}

void ZoneHolder::publish(std::shared_ptr<const ZoneSet> zones) {
    if (!zones) zones = std::make_shared<const ZoneSet>();
    std::shared_ptr<const ZoneSet> old;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        old = std::exchange(zones_, std::move(zones));
    }
    // old is released here, outside the lock: freeing a large zone must not stall readers.
}

std::shared_ptr<const ZoneSet> ZoneHolder::current() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return zones_;
}

}  // namespace rca
