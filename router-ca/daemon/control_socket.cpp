#include "daemon/control_socket.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace rca {
namespace {

constexpr int kIoTimeoutMs = 5000;

sockaddr_un address_of(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        throw std::system_error(ENAMETOOLONG, std::generic_category(),
                                "control socket path too long (max 107 bytes): " + path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

// Reads until a newline (or EOF), at most max_bytes, each wait bounded by a timeout.
bool read_line(int fd, std::string& out, size_t max_bytes) {
    char buf[4096];
    while (out.size() <= max_bytes) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, kIoTimeoutMs) <= 0) return false;
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return !out.empty();
        out.append(buf, static_cast<size_t>(n));
        const auto nl = out.find('\n');
        if (nl != std::string::npos) {
            out.resize(nl);
            return true;
        }
    }
    return false;
}

bool write_all(int fd, const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

ControlSocketServer::ControlSocketServer(std::string path, Handler handler)
    : path_(std::move(path)), handler_(std::move(handler)) {
    const sockaddr_un addr = address_of(path_);
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
    ::unlink(path_.c_str());  // a stale socket from a killed daemon
    // umask, not chmod after bind: there must be no moment where others could connect.
    const mode_t old = ::umask(0177);
    const int rc = ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    ::umask(old);
    if (rc != 0 || ::listen(listen_fd_, 16) != 0) {
        const int err = errno;
        ::close(listen_fd_);
        throw std::system_error(err, std::generic_category(), "cannot listen on " + path_);
    }
    if (::pipe2(stop_pipe_, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe");
}

ControlSocketServer::~ControlSocketServer() {
    if (thread_.joinable()) {
        const char byte = 0;
        (void)!::write(stop_pipe_[1], &byte, 1);
        thread_.join();
    }
    ::close(listen_fd_);
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
    ::unlink(path_.c_str());
}

void ControlSocketServer::start() {
    thread_ = std::thread([this] { serve(); });
}

void ControlSocketServer::serve() {
    for (;;) {
        pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents) return;
        const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        handle(client);
        ::close(client);
    }
}

void ControlSocketServer::handle(int client) const {
    std::string line;
    if (!read_line(client, line, kMaxControlLine)) return;
    write_all(client, handler_(line) + "\n");
}

Result<std::string> control_request(const std::string& path, const std::string& line) {
    sockaddr_un addr{};
    try {
        addr = address_of(path);
    } catch (const std::system_error& e) {
        return fail(Errc::malformed, e.what());
    }
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(Errc::unavailable, std::string("socket: ") + std::strerror(errno));
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const int err = errno;
        ::close(fd);
        return fail(Errc::unavailable, "cannot reach router-ca at " + path + " (" +
                                           std::strerror(err) +
                                           "); is `router-ca serve` running with this --data-dir?");
    }
    std::string answer;
    const bool ok = write_all(fd, line + "\n") && read_line(fd, answer, kMaxControlAnswer);
    ::close(fd);
    if (!ok) return fail(Errc::unavailable, "router-ca did not answer on " + path);
    return answer;
}

}  // namespace rca
