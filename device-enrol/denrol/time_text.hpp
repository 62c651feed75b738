#pragma once
// Timestamps as RFC 3339 UTC text ("2025-01-31T12:00:00Z"), the form state.json and the CLI use:
// readable by people, sortable, and unambiguous about the time zone.
#include <chrono>
#include <optional>
#include <string>

namespace denrol {

/// The wall-clock type used throughout device-enrol.
using TimePoint = std::chrono::system_clock::time_point;

/// Formats a time as "YYYY-MM-DDTHH:MM:SSZ" (whole seconds, UTC).
std::string format_utc(TimePoint t);

/// Parses exactly the form format_utc writes; nullopt for anything else.
std::optional<TimePoint> parse_utc(const std::string& text);

}  // namespace denrol
