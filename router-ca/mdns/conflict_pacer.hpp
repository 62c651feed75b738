#pragma once
// Pacing of renames after name conflicts (RFC 6762 section 8.1): "if fifteen conflicts occur
// within any ten-second period, then the host MUST wait at least five seconds before each
// successive additional probe attempt". Two publishers that rename in lock-step (Avahi compares
// simultaneous probes record by record, so each side can lose one record and both rename) would
// otherwise flood the LAN for ever. Pure: time comes in as a parameter.
#include <chrono>
#include <deque>

namespace rca::mdns {

/// Counts conflicts and says how long to wait before probing again.
class ConflictPacer {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;

    /// Conflicts within this window count together (RFC 6762 section 8.1).
    static constexpr std::chrono::seconds kWindow{10};
    /// This many conflicts in the window bring in the wait.
    static constexpr size_t kConflictsBeforeWaiting = 15;
    /// The wait before each further probe.
    static constexpr std::chrono::seconds kWait{5};

    /// Records a conflict at `now`; returns how long to wait before the next probe (zero until
    /// the fifteenth conflict in ten seconds).
    std::chrono::milliseconds on_conflict(TimePoint now);

  private:
    std::deque<TimePoint> recent_;
};

}  // namespace rca::mdns
