#pragma once
// One log line to stderr, with a UTC timestamp: procd and systemd collect stderr. Never pass key
// material here.
#include <exception>
#include <string>

namespace rca {

/// Writes "<time> <program>: <message>" to stderr, atomically with respect to other threads.
void log_line(const std::string& message);

/// Logs an exception that escaped a request handler ("internal error serving METHOD PATH: what"),
/// for the HTTP servers' exception handlers; the client is told only that it was not its fault.
void log_request_exception(const std::string& method, const std::string& path,
                           std::exception_ptr error);

/// Names the program in every later line ("router-ca" until called); main() calls it once, before
/// any thread starts. HQ (hq/) shares this log format.
void set_log_program(const char* program);

}  // namespace rca
