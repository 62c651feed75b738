#pragma once
// Where the serving threads find the current zones. A writer builds a whole new ZoneSet (from the
// store, off the query path) and publishes it in one swap, so a query never waits on SQLite and
// never sees half an update.
#include <memory>
#include <mutex>

#include "core/zone_set.hpp"

namespace rca {

/// A thread-safe slot holding the current immutable ZoneSet.
class ZoneHolder {
  public:
    /// Starts with an empty ZoneSet (everything REFUSED) until the first publish.
    ZoneHolder();
    /// Replaces the snapshot; readers holding the old one keep it alive until they finish.
    /// A null zones is taken as an empty set.
    void publish(std::shared_ptr<const ZoneSet> zones);
    /// The current snapshot, never null.
    std::shared_ptr<const ZoneSet> current() const;

  private:
    // A mutex rather than std::atomic_load: libstdc++ implements the latter with a lock too, and
    // the critical section is one reference-count increment.
    mutable std::mutex mutex_;
    std::shared_ptr<const ZoneSet> zones_;
};

}  // namespace rca
