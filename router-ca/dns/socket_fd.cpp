#include "dns/socket_fd.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace rca::dns {

namespace {
// Pending connections the kernel may hold before accept(): the server accepts at once, so this
// only absorbs bursts; connections beyond the server's limit are closed after accept anyway.
constexpr int kListenBacklog = 64;
}  // namespace

SocketFd& SocketFd::operator=(SocketFd&& o) noexcept {
    if (this != &o) {
        reset();
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}

void SocketFd::reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

std::string host_port_text(const std::string& host, int port) {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

SocketFd bind_socket(const std::string& purpose, const std::string& host, int port, bool stream) {
    const std::string where = purpose + " on " + host_port_text(host, port);
    if (port < 0 || port > 65535)
        throw std::system_error(EINVAL, std::generic_category(), where + ": bad port");
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = stream ? SOCK_STREAM : SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    addrinfo* found = nullptr;
    const int gai = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    if (gai != 0 || !found)
        throw std::system_error(EINVAL, std::generic_category(),
                                where + ": not a numeric address (" + ::gai_strerror(gai) + ")");
    const int family = found->ai_family;
    SocketFd fd(::socket(family, hints.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
        ::freeaddrinfo(found);
        throw std::system_error(errno, std::generic_category(), where + ": socket");
    }
    const int one = 1;
    // TCP only: lets a restarted server bind while old connections sit in TIME_WAIT. Never for
    // UDP, where on Linux it would let two servers share the port silently.
    if (stream) ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_INET6) ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    const int rc = ::bind(fd.get(), found->ai_addr, found->ai_addrlen);
    const int bind_errno = errno;
    ::freeaddrinfo(found);
    if (rc != 0) throw std::system_error(bind_errno, std::generic_category(), where + ": bind");
    if (stream && ::listen(fd.get(), kListenBacklog) != 0)
        throw std::system_error(errno, std::generic_category(), where + ": listen");
    return fd;
}

int bound_port(const SocketFd& socket) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(socket.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::system_error(errno, std::generic_category(), "getsockname");
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

SocketFd make_wake_fd() {
    SocketFd fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!fd) throw std::system_error(errno, std::generic_category(), "eventfd");
    return fd;
}

void signal_wake_fd(const SocketFd& wake) {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake.get(), &one, sizeof one);
}

}  // namespace rca::dns
