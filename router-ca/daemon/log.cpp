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

}  // namespace rca
