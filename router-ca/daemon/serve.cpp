#include "daemon/serve.hpp"

#include <sys/stat.h>

#include <csignal>
#include <ctime>
#include <memory>

#include "daemon/heap_tuning.hpp"
#include "daemon/log.hpp"
#include "daemon/router_daemon.hpp"

namespace rca {
namespace {

// Signals are taken synchronously by the main loop (sigtimedwait), so no handler runs on an
// arbitrary thread in the middle of SQLite or OpenSSL.
sigset_t daemon_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

timespec until(TimePoint deadline, TimePoint now) {
    auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now);
    if (left.count() < 1000000) left = std::chrono::milliseconds(1);
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(left.count() / 1000000000);
    ts.tv_nsec = static_cast<long>(left.count() % 1000000000);
    return ts;
}

// How often the router checks its own certificate: it is renewed in the last third of its life
// (30 of 90 days), so an hourly look is far more than enough and costs two file reads.
constexpr auto kMaintenanceInterval = std::chrono::hours(1);

// The event loop: sleep until the daemon's next deadline or a signal, then let time act;
// maintenance runs every kMaintenanceInterval.
void run_loop(RouterDaemon& daemon) {
    const sigset_t set = daemon_signals();
    TimePoint next_maintenance = daemon.now() + kMaintenanceInterval;
    for (;;) {
        // What time does (a window's decision, maintenance) may fail; the loop logs it and goes
        // on, for the router serves more than this one decision.
        try {
            daemon.tick();
            if (daemon.now() >= next_maintenance) {
                daemon.maintain();
                next_maintenance = daemon.now() + kMaintenanceInterval;
            }
        } catch (const std::exception& e) {
            log_line(std::string("error: ") + e.what());
        }
        const timespec wait = until(daemon.next_deadline(), daemon.now());
        const int sig = sigtimedwait(&set, nullptr, &wait);
        if (sig == SIGINT || sig == SIGTERM) {
            log_line(std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
            return;
        }
        if (sig == SIGHUP) log_line("SIGHUP: options are read at start; restart to change them");
    }
}

}  // namespace

int run_serve(const ServeConfig& config) {
    const sigset_t set = daemon_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started below
    std::signal(SIGPIPE, SIG_IGN);
    // Nothing router-ca creates (database, journal, keys, socket) is for other users' eyes.
    ::umask(077);
    tune_heap_for_router();

    std::unique_ptr<RouterDaemon> daemon;
    try {
        daemon = std::make_unique<RouterDaemon>(config);
    } catch (const StartFailure& failure) {
        log_line(failure.what());
        return failure.exit_code;
    }
    daemon->start();
    run_loop(*daemon);
    daemon->stop();
    return kExitOk;
}

}  // namespace rca
