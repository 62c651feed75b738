#include "dns/dns_server.hpp"

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "dns/udp_responder.hpp"

namespace rca::dns {

namespace {
// With port 0 the kernel picks a free UDP port, which may be taken for TCP; try a few.
constexpr int kAnyPortAttempts = 20;
}  // namespace

DnsServer::DnsServer(const std::string& host, int port, const ZoneHolder& zones,
                     DnsServerOptions options)
    : host_(host), port_(port), zones_(zones), options_(options) {}

DnsServer::~DnsServer() { stop(); }

void DnsServer::start() {
    if (udp_ || tcp_) throw std::logic_error("DnsServer already started");
    SocketFd udp, tcp;
    const bool any_port = port_ == 0;
    for (int attempt = 0;; ++attempt) {
        udp = bind_socket("DNS over UDP", host_, port_, false);
        const int chosen = bound_port(udp);
        try {
            tcp = bind_socket("DNS over TCP", host_, chosen, true);
            port_ = chosen;
            break;
        } catch (const std::system_error& e) {
            if (!any_port || e.code().value() != EADDRINUSE || attempt + 1 >= kAnyPortAttempts)
                throw;
        }
    }
    udp_ =
        std::make_unique<UdpResponder>(std::move(udp), zones_, counters_, options_.cache_entries);
    tcp_ = std::make_unique<TcpResponder>(std::move(tcp), zones_, counters_, options_.tcp,
                                          options_.cache_entries);
    udp_->start();
    tcp_->start();
}

void DnsServer::stop() {
    if (udp_) udp_->stop();
    if (tcp_) tcp_->stop();
}

}  // namespace rca::dns
