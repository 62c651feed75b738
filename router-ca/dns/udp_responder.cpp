#include "dns/udp_responder.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <vector>

namespace rca::dns {

namespace {
// Largest datagram a UDP socket can deliver; a bigger one could only be hostile anyway.
constexpr size_t kMaxDatagram = 65536;
}  // namespace

UdpResponder::UdpResponder(SocketFd socket, const ZoneHolder& zones, DnsCounters& counters,
                           size_t cache_entries)
    : socket_(std::move(socket)),
      wake_(make_wake_fd()),
      zones_(zones),
      counters_(counters),
      cache_(cache_entries) {}

UdpResponder::~UdpResponder() { stop(); }

void UdpResponder::start() {
    thread_ = std::thread([this] { run(); });
}

void UdpResponder::stop() {
    stopping_ = true;
    signal_wake_fd(wake_);
    if (thread_.joinable()) thread_.join();
    socket_.reset();  // frees the port
}

void UdpResponder::run() {
    std::vector<uint8_t> buffer(kMaxDatagram);
    while (!stopping_.load(std::memory_order_relaxed)) {
        sockaddr_storage peer{};
        socklen_t peer_length = sizeof peer;
        const ssize_t n = ::recvfrom(socket_.get(), buffer.data(), buffer.size(), 0,
                                     reinterpret_cast<sockaddr*>(&peer), &peer_length);
        if (n < 0) {
            // Drain first, then sleep: under load the loop costs one syscall per datagram in and
            // one out, and poll() only runs when the queue is empty.
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                pollfd fds[2] = {{socket_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
                ::poll(fds, 2, -1);
            }
            continue;  // EINTR, or an ICMP error reported on the socket: nothing to do
        }
        const DnsReply reply = answer_safely(zones_.current(), buffer.data(),
                                             static_cast<size_t>(n), Transport::udp, cache_);
        counters_.count(reply);
        if (reply.drop) continue;
        // A full socket buffer loses the reply, as the network could; the client retries.
        ::sendto(socket_.get(), reply.wire.data(), reply.wire.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                 reinterpret_cast<const sockaddr*>(&peer), peer_length);
    }
}

}  // namespace rca::dns
