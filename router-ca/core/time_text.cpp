#include "core/time_text.hpp"

#include "common/utc_calendar.hpp"

namespace rca {

std::string iso8601(TimePoint t) { return rfc3339_utc(t); }

}  // namespace rca
