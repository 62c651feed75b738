#include "denrol/address_probe.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

namespace denrol {
namespace {

struct AddrinfoFree {
    void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};

class Socket {
  public:
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) ::close(fd_);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }

  private:
    int fd_;
};

}  // namespace

std::optional<std::string> KernelAddressProbe::source_towards(const Endpoint& router) const {
    addrinfo hints{};
    hints.ai_family = AF_INET;  // the CA is IPv4-only (architecture brief)
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(router.host.c_str(), std::to_string(router.port).c_str(), &hints, &found) !=
            0 ||
        !found)
        return std::nullopt;
    const std::unique_ptr<addrinfo, AddrinfoFree> results(found);
    const Socket s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (s.fd() < 0) return std::nullopt;
    if (::connect(s.fd(), found->ai_addr, found->ai_addrlen) != 0) return std::nullopt;
    sockaddr_in local{};
    socklen_t length = sizeof local;
    if (::getsockname(s.fd(), reinterpret_cast<sockaddr*>(&local), &length) != 0)
        return std::nullopt;
    if (local.sin_addr.s_addr == htonl(INADDR_ANY)) return std::nullopt;
    char text[INET_ADDRSTRLEN] = {};
    if (!::inet_ntop(AF_INET, &local.sin_addr, text, sizeof text)) return std::nullopt;
    return std::string(text);
}

}  // namespace denrol
