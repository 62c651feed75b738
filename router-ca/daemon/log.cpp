#include "daemon/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace rca {

namespace {
const char* g_program = "router-ca";
}  // namespace

void set_log_program(const char* program) { g_program = program; }

void log_line(const std::string& message) {
    static std::mutex mutex;
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const std::lock_guard<std::mutex> lock(mutex);
    std::fprintf(stderr, "%s %s: %s\n", stamp, g_program, message.c_str());
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
