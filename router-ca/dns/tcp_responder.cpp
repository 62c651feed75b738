#include "dns/tcp_responder.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "dns/response_writer.hpp"

namespace rca::dns {

namespace {

// Bytes read per recv(): a typical query is under 100 octets, a message at most 65,537 with its
// length; this keeps one connection from monopolising the loop.
constexpr size_t kReadChunk = 16384;
// Answers waiting for a client that does not read them: past this, the connection's queries are
// no longer read (TCP flow control pushes back on the client) until it catches up.
constexpr size_t kMaxPendingOutput = 2 * (2 + kTcpMessageMax);

}  // namespace

TcpResponder::TcpResponder(SocketFd listener, const ZoneHolder& zones, DnsCounters& counters,
                           TcpLimits limits, size_t cache_entries)
    : listener_(std::move(listener)),
      wake_(make_wake_fd()),
      zones_(zones),
      counters_(counters),
      limits_(limits),
      limiter_(ConnectionLimits{limits.per_address, limits.max_connections}),
      cache_(cache_entries) {}

TcpResponder::~TcpResponder() { stop(); }

void TcpResponder::start() {
    thread_ = std::thread([this] { run(); });
}

void TcpResponder::stop() {
    stopping_ = true;
    signal_wake_fd(wake_);
    if (thread_.joinable()) thread_.join();
    connections_.clear();
    listener_.reset();  // frees the port, and resets connections still in the accept queue
}

void TcpResponder::accept_all(Clock::time_point now) {
    for (;;) {
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        SocketFd fd(::accept4(listener_.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                              SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd) return;  // EAGAIN, or a connection reset before we got to it
        Connection c;
        if (limiter_.admit(ip_text(peer), c.slot) != ConnectionLimiter::Verdict::admitted) {
            counters_.tcp_rejected();
            continue;  // closed at once by SocketFd
        }
        counters_.tcp_accepted();
        c.fd = std::move(fd);
        c.deadline = now + limits_.idle_timeout;
        connections_.push_back(std::move(c));
    }
}

void TcpResponder::read_from(Connection& c, Clock::time_point now) {
    uint8_t chunk[kReadChunk];
    const ssize_t n = ::recv(c.fd.get(), chunk, sizeof chunk, 0);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) c.closed = true;
        return;
    }
    if (n == 0) {
        // The client is done sending; answer what is complete, flush, then close.
        c.peer_closed = true;
    } else {
        c.in.insert(c.in.end(), chunk, chunk + n);
    }
    answer_buffered(c, now);
    if (c.peer_closed && c.out.size() == c.out_sent) c.closed = true;
}

void TcpResponder::answer_buffered(Connection& c, Clock::time_point now) {
    size_t consumed = 0;
    while (!c.closed && c.out.size() - c.out_sent < kMaxPendingOutput) {
        if (c.in.size() - consumed < 2) break;
        const size_t length = static_cast<size_t>(c.in[consumed] << 8 | c.in[consumed + 1]);
        if (length == 0) {
            c.closed = true;  // no DNS message is empty: the stream is not DNS
            break;
        }
        if (c.in.size() - consumed < 2 + length) break;
        const DnsReply reply = answer_safely(zones_.current(), c.in.data() + consumed + 2, length,
                                             Transport::tcp, cache_);
        counters_.count(reply);
        consumed += 2 + length;
        if (reply.drop) {
            c.closed = true;  // a response or a runt on a TCP stream: nothing sane follows
            break;
        }
        c.out.push_back(static_cast<uint8_t>(reply.wire.size() >> 8));
        c.out.push_back(static_cast<uint8_t>(reply.wire.size()));
        c.out.insert(c.out.end(), reply.wire.begin(), reply.wire.end());
        c.deadline = now + limits_.idle_timeout;
    }
    c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(consumed));
    if (!c.closed) write_to(c);  // most answers leave at once, without another poll() round
}

void TcpResponder::write_to(Connection& c) {
    while (c.out_sent < c.out.size()) {
        const ssize_t n = ::send(c.fd.get(), c.out.data() + c.out_sent, c.out.size() - c.out_sent,
                                 MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) c.closed = true;
            return;
        }
        c.out_sent += static_cast<size_t>(n);
    }
    c.out.clear();
    c.out_sent = 0;
}

void TcpResponder::run() {
    std::vector<pollfd> fds;
    while (!stopping_.load(std::memory_order_relaxed)) {
        const auto now = Clock::now();
        fds.clear();
        fds.push_back({wake_.get(), POLLIN, 0});
        fds.push_back({listener_.get(), POLLIN, 0});
        auto next_deadline = Clock::time_point::max();
        for (const auto& c : connections_) {
            short events = 0;
            const size_t pending = c.out.size() - c.out_sent;
            if (!c.peer_closed && pending < kMaxPendingOutput) events |= POLLIN;
            if (pending > 0) events |= POLLOUT;
            fds.push_back({c.fd.get(), events, 0});
            next_deadline = std::min(next_deadline, c.deadline);
        }
        int timeout_ms = -1;
        if (next_deadline != Clock::time_point::max()) {
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_deadline - now);
            timeout_ms = static_cast<int>(std::max<int64_t>(0, wait.count()));
        }
        if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) continue;
        if (stopping_.load()) break;

        const auto after = Clock::now();
        const size_t polled = fds.size() - 2;
        for (size_t i = 0; i < polled; ++i) {
            Connection& c = connections_[i];
            const short revents = fds[i + 2].revents;
            if (revents & POLLOUT) {
                write_to(c);
                // Room again: answer queries that were held back while the client lagged.
                if (!c.closed) answer_buffered(c, after);
                if (c.peer_closed && c.out.size() == c.out_sent) c.closed = true;
            }
            if (!c.closed && (revents & (POLLIN | POLLHUP | POLLERR))) read_from(c, after);
            if (!c.closed && after >= c.deadline) {
                counters_.tcp_timeout();
                c.closed = true;
            }
        }
        connections_.erase(std::remove_if(connections_.begin(), connections_.end(),
                                          [](const Connection& c) { return c.closed; }),
                           connections_.end());
        if (fds[1].revents & POLLIN) accept_all(after);
    }
}

}  // namespace rca::dns
