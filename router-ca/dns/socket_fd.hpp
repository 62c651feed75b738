#pragma once
// A file descriptor that closes itself, and the sockets the DNS and HTTPS servers listen on.
#include <string>
#include <utility>

namespace rca::dns {

/// Owns one file descriptor; closes it on destruction.
class SocketFd {
  public:
    SocketFd() = default;
    /// Takes ownership of fd (-1 for none).
    explicit SocketFd(int fd) : fd_(fd) {}
    ~SocketFd() { reset(); }
    SocketFd(SocketFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    SocketFd& operator=(SocketFd&& o) noexcept;
    SocketFd(const SocketFd&) = delete;
    SocketFd& operator=(const SocketFd&) = delete;

    /// The descriptor, still owned.
    int get() const { return fd_; }
    /// True when a descriptor is held.
    explicit operator bool() const { return fd_ >= 0; }
    /// Closes the held descriptor, if any.
    void reset();

  private:
    int fd_ = -1;
};

/// A non-blocking, close-on-exec UDP (datagram) or TCP (stream, listening) socket bound to
/// host:port; host is a numeric IPv4 or IPv6 address. Throws std::system_error naming `purpose`
/// (such as "DNS over TCP") and host:port.
SocketFd bind_socket(const std::string& purpose, const std::string& host, int port, bool stream);

/// The local port a bound socket has (what port 0 became).
int bound_port(const SocketFd& socket);

/// "host:port", or "[host]:port" for IPv6, for messages.
std::string host_port_text(const std::string& host, int port);

/// An eventfd that wakes a thread blocked in poll() when the server stops.
SocketFd make_wake_fd();
/// Signals a wake fd (stays signalled).
void signal_wake_fd(const SocketFd& wake);

}  // namespace rca::dns
