#pragma once
#include "core/time_source.hpp"

namespace rca {

/// The real clock, for the daemon.
class SystemTime final : public TimeSource {
  public:
    TimePoint now() const override { return Clock::now(); }
};

}  // namespace rca
