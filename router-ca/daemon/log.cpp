#include "daemon/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace rca {

void log_line(const std::string& message) {
    static std::mutex mutex;
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const std::lock_guard<std::mutex> lock(mutex);
    std::fprintf(stderr, "%s router-ca: %s\n", stamp, message.c_str());
    std::fflush(stderr);
}

}  // namespace rca
