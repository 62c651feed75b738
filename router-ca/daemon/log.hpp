#pragma once
// One log line to stderr, with a UTC timestamp: procd and systemd collect stderr. Never pass key
// material here.
#include <string>

namespace rca {

/// Writes "<time> router-ca: <message>" to stderr, atomically with respect to other threads.
void log_line(const std::string& message);

}  // namespace rca
