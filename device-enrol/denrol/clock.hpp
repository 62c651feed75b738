#pragma once
// Time and waiting as an interface (house style #2 and #4): the flows ask a Clock, so tests run
// a 90-day renewal cycle in microseconds and the CLI can stop a wait on SIGTERM.
#include <atomic>

#include "denrol/time_text.hpp"

namespace denrol {

/// The wall clock and a way to wait on it.
class Clock {
  public:
    virtual ~Clock() = default;
    /// The current wall-clock time.
    virtual TimePoint now() const = 0;
    /// Waits until `when`; false if asked to stop first.
    virtual bool sleep_until(TimePoint when) = 0;
};

/// The real clock; its waits end early once `stop` becomes true (set from a signal handler).
class SystemClock final : public Clock {
  public:
    /// `stop` must outlive the clock.
    explicit SystemClock(const std::atomic<bool>& stop) : stop_(stop) {}
    /// std::chrono::system_clock::now().
    TimePoint now() const override;
    /// Sleeps in short slices, re-reading the wall clock and `stop` after each.
    bool sleep_until(TimePoint when) override;

  private:
    const std::atomic<bool>& stop_;
};

}  // namespace denrol
