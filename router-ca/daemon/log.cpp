#include "daemon/log.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>

#include "common/utc_calendar.hpp"

namespace rca {

namespace {
const char* g_program = "router-ca";
}  // namespace

void set_log_program(const char* program) { g_program = program; }

void log_line(const std::string& message) {
    static std::mutex mutex;
    const std::string stamp = rfc3339_utc(std::chrono::system_clock::now());
    const std::lock_guard<std::mutex> lock(mutex);
    std::fprintf(stderr, "%s %s: %s\n", stamp.c_str(), g_program, message.c_str());
    std::fflush(stderr);
}

void log_request_exception(const std::string& method, const std::string& path,
                           std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        log_line("internal error serving " + method + " " + path + ": " + e.what());
    } catch (...) {
        log_line("internal error serving " + method + " " + path);
    }
}

}  // namespace rca
