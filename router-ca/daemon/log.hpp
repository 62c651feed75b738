#pragma once
// One log line to stderr, with a UTC timestamp: procd and systemd collect stderr. Never pass key
// material here.
#include <string>

namespace rca {

/// Writes "<time> <program>: <message>" to stderr, atomically with respect to other threads.
void log_line(const std::string& message);

/// Names the program in every later line ("router-ca" until called); main() calls it once, before
/// any thread starts. HQ (hq/) shares this log format.
void set_log_program(const char* program);

}  // namespace rca
