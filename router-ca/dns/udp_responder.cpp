#include "dns/udp_responder.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <vector>

namespace rca::dns {

namespace {
// Datagrams read (and answers sent) per system call when they queue up: under load the loop
// costs two system calls per batch instead of two per query (recvmmsg/sendmmsg, Linux).
constexpr size_t kBatch = 32;
// Room for one query. No real query comes near it (a question is at most 255 + 4 octets, an OPT
// record a few dozen); a larger datagram arrives cut (MSG_TRUNC) and is dropped unanswered.
constexpr size_t kMaxQuery = 4096;
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
    std::vector<uint8_t> buffers(kBatch * kMaxQuery);
    sockaddr_storage peers[kBatch];
    iovec in_iov[kBatch];
    mmsghdr in[kBatch];
    std::vector<DnsReply> replies(kBatch);
    iovec out_iov[kBatch];
    mmsghdr out[kBatch];
    while (!stopping_.load(std::memory_order_relaxed)) {
        for (size_t i = 0; i < kBatch; ++i) {
            in_iov[i] = {buffers.data() + i * kMaxQuery, kMaxQuery};
            in[i] = {};
            in[i].msg_hdr.msg_name = &peers[i];
            in[i].msg_hdr.msg_namelen = sizeof peers[i];
            in[i].msg_hdr.msg_iov = &in_iov[i];
            in[i].msg_hdr.msg_iovlen = 1;
        }
        const int received = ::recvmmsg(socket_.get(), in, kBatch, MSG_DONTWAIT, nullptr);
        if (received <= 0) {
            // Drain first, then sleep: poll() only runs when the queue is empty.
            if (received == 0 || errno == EAGAIN || errno == EWOULDBLOCK) {
                pollfd fds[2] = {{socket_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
                ::poll(fds, 2, -1);
            }
            continue;  // EINTR, or an ICMP error reported on the socket: nothing to do
        }
        const auto zones = zones_.current();  // one snapshot for the batch
        unsigned to_send = 0;
        for (int i = 0; i < received; ++i) {
            DnsReply& reply = replies[static_cast<size_t>(i)];
            if (in[i].msg_hdr.msg_flags & MSG_TRUNC) {
                reply = DnsReply{};
                reply.drop = true;
            } else {
                reply = answer_safely(zones, static_cast<const uint8_t*>(in_iov[i].iov_base),
                                      in[i].msg_len, Transport::udp, cache_);
            }
            counters_.count(reply);
            if (reply.drop) continue;
            out_iov[to_send] = {reply.wire.data(), reply.wire.size()};
            out[to_send] = {};
            out[to_send].msg_hdr.msg_name = &peers[i];
            out[to_send].msg_hdr.msg_namelen = in[i].msg_hdr.msg_namelen;
            out[to_send].msg_hdr.msg_iov = &out_iov[to_send];
            out[to_send].msg_hdr.msg_iovlen = 1;
            ++to_send;
        }
        // A full socket buffer loses replies, as the network could; clients retry.
        for (unsigned sent = 0; sent < to_send;) {
            const int n =
                ::sendmmsg(socket_.get(), out + sent, to_send - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n <= 0) break;
            sent += static_cast<unsigned>(n);
        }
    }
}

}  // namespace rca::dns
