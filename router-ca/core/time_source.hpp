#pragma once
// Time is a parameter of the core (house style #2): production passes the system clock, tests a
// clock they move by hand.
#include "core/types.hpp"

namespace rca {

/// Where the core reads "now".
class TimeSource {
  public:
    virtual ~TimeSource() = default;
    /// The current time.
    virtual TimePoint now() const = 0;
};

}  // namespace rca
