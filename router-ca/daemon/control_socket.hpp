#pragma once
// The local control socket the CLI talks to (`router-ca pair`, `devices`, ...): a Unix stream
// socket in the data directory, mode 0600, so only the router's admin (root) can use it. One JSON
// line in, one JSON line out.
#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "core/result.hpp"

namespace rca {

/// Longest command line accepted; commands are tiny, so anything longer is hostile or a bug.
inline constexpr size_t kMaxControlLine = 64 * 1024;
/// Longest answer the CLI reads: answers come from the daemon itself and list what the router
/// keeps (1,000 devices' certificates, 256 ACME accounts and more run past 64 KiB), so the bound
/// only stops a runaway answer.
inline constexpr size_t kMaxControlAnswer = 16 * 1024 * 1024;

class ControlSocketServer {
  public:
    using Handler = std::function<std::string(const std::string& line)>;

    /// Binds path (replacing a stale socket) with mode 0600; throws std::system_error on failure.
    ControlSocketServer(std::string path, Handler handler);
    /// Stops the thread and removes the socket file.
    ~ControlSocketServer();
    ControlSocketServer(const ControlSocketServer&) = delete;
    ControlSocketServer& operator=(const ControlSocketServer&) = delete;

    /// Starts serving on a background thread.
    void start();

  private:
    void serve();
    void handle(int client) const;

    std::string path_;
    Handler handler_;
    int listen_fd_ = -1;
    int stop_pipe_[2] = {-1, -1};
    std::thread thread_;
};

/// Sends one command line to the socket at path and returns the answer line, or an error saying
/// the daemon is not running.
Result<std::string> control_request(const std::string& path, const std::string& line);

}  // namespace rca
