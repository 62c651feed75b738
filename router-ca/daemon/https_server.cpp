#include "daemon/https_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <utility>

#include "daemon/log.hpp"
#include "wire/enrolment_wire.hpp"

namespace rca {
namespace {

using Clock = std::chrono::steady_clock;

// The application checks client certificates itself (byte-equal to one the CA issued, not
// revoked), so OpenSSL accepts whatever the client presents and the handshake never fails for a
// missing or unknown client certificate.
int accept_any_client_certificate(int, X509_STORE_CTX*) { return 1; }

// Called by OpenSSL at each handshake, before the certificate is sent (SSL_CTX_set_cert_cb).
int present_current_identity(SSL* ssl, void* identity) {
    return static_cast<const TlsCertificateSource*>(identity)->apply(ssl) ? 1 : 0;
}

// Waits until `fd` is ready for `events`: false when `deadline` passes first or `wake` (the
// server's stop signal) fires.
bool wait_for(int fd, short events, Clock::time_point deadline, int wake) {
    for (;;) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        pollfd fds[2] = {{fd, events, 0}, {wake, POLLIN, 0}};
        const int n = ::poll(fds, 2, static_cast<int>(left));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || fds[1].revents) return false;
        // An error or hang-up also ends the wait: the next SSL call reports it.
        return true;
    }
}

// After an SSL call on a non-blocking socket returned `ret`: waits for what OpenSSL needs before
// the call is repeated. False when the call failed for good, or the wait did.
bool wait_to_retry(SSL* ssl, int ret, int fd, Clock::time_point deadline, int wake) {
    switch (SSL_get_error(ssl, ret)) {
        case SSL_ERROR_WANT_READ:
            return wait_for(fd, POLLIN, deadline, wake);
        case SSL_ERROR_WANT_WRITE:
            return wait_for(fd, POLLOUT, deadline, wake);
        default:
            return false;
    }
}

// Response bytes gathered before they are encrypted: cpp-httplib writes a response's headers and
// its body separately, and each write is a TLS record and a send(). An answer up to one TLS
// record's worth of plaintext (RFC 8446 5.1: 2^14 octets) leaves as one record in one send().
constexpr size_t kGatherBytes = 16384;

// Plaintext taken from OpenSSL per SSL_read: cpp-httplib reads a request's line and headers one
// byte at a time, and each SSL_read is a trip through OpenSSL's record layer.
constexpr size_t kReadChunk = 4096;

// One TLS connection as cpp-httplib reads and writes it, bounded in time per request: every read
// of a request shares the deadline set by begin_request(), and every write of its response shares
// one that starts at the response's first byte. The socket is non-blocking, so OpenSSL never
// sleeps inside a read while a TLS record arrives a byte at a time. Reads are served from a
// buffer filled kReadChunk at a time. Writes are gathered (kGatherBytes) and sent by flush(),
// which the server calls after each response; a read flushes first, so an interim answer
// (100 Continue) is never held back while the client waits for it. The connection's addresses
// are asked of the kernel once, not on every request.
class TlsStream final : public httplib::Stream {
  public:
    TlsStream(SSL* ssl, int fd, int wake) : ssl_(ssl), fd_(fd), wake_(wake) {}

    // True when a request's first byte arrives before `deadline`. SSL_has_pending, not
    // SSL_pending: with read-ahead, OpenSSL may hold whole records it has not decrypted yet.
    bool wait_for_request(Clock::time_point deadline) const {
        return buffered() || wait_for(fd_, POLLIN, deadline, wake_);
    }
    void begin_request(Clock::time_point deadline) {
        read_deadline_ = deadline;
        writing_ = false;
    }

    bool is_readable() const override {
        return buffered() || wait_for(fd_, POLLIN, read_deadline_, wake_);
    }
    // Sends what write() gathered; false when the connection failed or the deadline passed.
    bool flush() {
        const bool sent = gathered_.empty() || write_all(gathered_.data(), gathered_.size());
        gathered_.clear();
        return sent;
    }
    bool is_writable() const override {
        return wait_for(fd_, POLLOUT, writing_ ? write_deadline_ : Clock::now() + kResponseDeadline,
                        wake_);
    }
    ssize_t read(char* ptr, size_t size) override {
        if (!flush()) return -1;
        while (received_at_ == received_.size()) {
            received_.resize(kReadChunk);
            const int n = SSL_read(ssl_, received_.data(), static_cast<int>(kReadChunk));
            received_.resize(n > 0 ? static_cast<size_t>(n) : 0);
            received_at_ = 0;
            if (n <= 0 && !wait_to_retry(ssl_, n, fd_, read_deadline_, wake_)) return -1;
        }
        const size_t n = std::min(size, received_.size() - received_at_);
        std::copy_n(received_.data() + received_at_, n, ptr);
        received_at_ += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, size_t size) override {
        if (!writing_) {
            writing_ = true;
            write_deadline_ = Clock::now() + kResponseDeadline;
        }
        if (gathered_.size() + size <= kGatherBytes) {
            gathered_.append(ptr, size);
            return static_cast<ssize_t>(size);
        }
        if (!flush()) return -1;
        const size_t want = std::min<size_t>(size, INT32_MAX);
        return write_all(ptr, want) ? static_cast<ssize_t>(want) : -1;
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        if (!peer_) peer_ = address_of(::getpeername);
        ip = peer_->first;
        port = peer_->second;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        if (!local_) local_ = address_of(::getsockname);
        ip = local_->first;
        port = local_->second;
    }
    socket_t socket() const override { return fd_; }

  private:
    using Endpoint = std::pair<std::string, int>;  // IP text and port

    bool buffered() const { return received_at_ < received_.size() || SSL_has_pending(ssl_); }

    // Writes all `size` bytes: without SSL_MODE_ENABLE_PARTIAL_WRITE, SSL_write succeeds only
    // once all are written (SSL_write(3)), and is retried with the same buffer until then.
    bool write_all(const char* ptr, size_t size) {
        for (;;) {
            const int n = SSL_write(ssl_, ptr, static_cast<int>(size));
            if (n > 0) return true;
            if (!wait_to_retry(ssl_, n, fd_, write_deadline_, wake_)) return false;
        }
    }

    template <typename Query>
    Endpoint address_of(Query query) const {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        Endpoint endpoint{"", 0};
        if (query(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            endpoint.first = ip_text(address, &endpoint.second);
        return endpoint;
    }

    SSL* const ssl_;
    const int fd_;
    const int wake_;
    Clock::time_point read_deadline_ = Clock::now() + kRequestDeadline;
    Clock::time_point write_deadline_;
    bool writing_ = false;
    std::string gathered_;        ///< written, not yet sent
    std::vector<char> received_;  ///< decrypted, from received_at_ on not yet read
    size_t received_at_ = 0;
    mutable std::optional<Endpoint> peer_, local_;
};

}  // namespace

// cpp-httplib's SSLServer for its SSL_CTX and its request parsing and routing; connections are
// served by serve(), never by its own listen loop.
class HttpsServer::Router final : public httplib::SSLServer {
  public:
    explicit Router(const TlsCertificateSource& identity)
        : httplib::SSLServer([&identity](SSL_CTX& ctx) {
              SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
              SSL_CTX_set_cert_cb(&ctx, present_current_identity,
                                  const_cast<TlsCertificateSource*>(&identity));
              SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, accept_any_client_certificate);
              // Required once client certificates are requested, or resumed sessions fail.
              static const unsigned char kSessionContext[] = "router-ca";
              SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
              // A record's header and body in one recv() rather than two
              // (SSL_CTX_set_read_ahead(3)).
              SSL_CTX_set_read_ahead(&ctx, 1);
              return true;
          }) {
        if (!is_valid()) throw std::runtime_error("cannot set up OpenSSL for HTTPS");
        set_payload_max_length(wire::kMaxBodyBytes);
    }

    // Serves one admitted connection (non-blocking `fd`) until it closes, misses a deadline,
    // has made kKeepAliveRequests requests or the server stops (`wake` fires).
    void serve(int fd, int wake, const std::atomic<bool>& stopping) {
        std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ssl_context()), SSL_free);
        if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return;
        const auto handshake_by = Clock::now() + kHandshakeDeadline;
        for (;;) {
            const int r = SSL_accept(ssl.get());
            if (r == 1) break;
            if (!wait_to_retry(ssl.get(), r, fd, handshake_by, wake)) return;
        }
        TlsStream stream(ssl.get(), fd, wake);
        bool clean = true;
        for (size_t left = kKeepAliveRequests; left > 0 && !stopping; --left) {
            if (!stream.wait_for_request(Clock::now() + kKeepAliveIdle)) break;
            stream.begin_request(Clock::now() + kRequestDeadline);
            bool closed = false;
            const bool processed = process_request(
                stream, left == 1, closed, [&ssl](httplib::Request& req) { req.ssl = ssl.get(); });
            // Sent even when processing failed: it may have answered 400 or 413 first.
            clean = stream.flush() && processed;
            if (!clean || closed) break;
        }
        // close_notify (RFC 8446 section 6.1), once and without waiting: the socket closes next.
        if (clean) SSL_shutdown(ssl.get());
    }
};

HttpsServer::HttpsServer(const TlsCertificateSource& identity, ConnectionLimits limits,
                         const std::string& host, int port)
    : router_(std::make_unique<Router>(identity)),
      limiter_(limits),
      listener_(dns::bind_socket("HTTPS", host, port, true)),
      wake_(dns::make_wake_fd()),
      port_(dns::bound_port(listener_)) {}

HttpsServer::~HttpsServer() { stop(); }

httplib::Server& HttpsServer::routes() { return *router_; }

void HttpsServer::start() {
    for (size_t i = 0; i < limiter_.limits().total; ++i) workers_.emplace_back([this] { work(); });
    acceptor_ = std::thread([this] { accept_loop(); });
}

void HttpsServer::stop() {
    if (stopping_.exchange(true)) return;
    dns::signal_wake_fd(wake_);
    if (acceptor_.joinable()) acceptor_.join();
    ready_.notify_all();
    for (auto& worker : workers_) worker.join();
    workers_.clear();
    queue_.clear();
}

void HttpsServer::accept_loop() {
    while (!stopping_) {
        pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) {
            log_line(std::string("HTTPS: poll failed, no longer accepting: ") + strerror(errno));
            return;
        }
        if (fds[1].revents) return;
        if (fds[0].revents) accept_pending();
    }
}

void HttpsServer::accept_pending() {
    for (;;) {
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        dns::SocketFd socket(::accept4(listener_.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                                       SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!socket) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            // Out of descriptors: the connection stays in the backlog; pause rather than spin.
            if (errno == EMFILE || errno == ENFILE)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            return;  // also EAGAIN: nothing left to accept
        }
        const std::string address = ip_text(peer);
        std::optional<ConnectionLimiter::Slot> slot;
        const auto verdict = limiter_.admit(address, slot);
        if (!slot) {
            refuse(std::move(socket), address, verdict);
            continue;
        }
        // cpp-httplib writes headers and body separately; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK (about 40 ms on Linux) on every response.
        const int one = 1;
        ::setsockopt(socket.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            queue_.push_back(Admitted{std::move(*slot), std::move(socket)});
        }
        ready_.notify_one();
    }
}

void HttpsServer::refuse(dns::SocketFd socket, const std::string& address,
                         ConnectionLimiter::Verdict verdict) {
    // A zero linger makes close() send a reset: no TLS, no FIN exchange, no TIME_WAIT state kept.
    const linger reset{1, 0};
    ::setsockopt(socket.get(), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    socket.reset();
    // Logged at the 1st, 2nd, 4th, 8th... refusal: a flood shows in the log without filling it.
    const uint64_t count = limiter_.refused();
    if ((count & (count - 1)) != 0) return;
    const auto& limits = limiter_.limits();
    log_line("HTTPS: refused a connection from " + address + ": " +
             (verdict == ConnectionLimiter::Verdict::per_address_full
                  ? std::to_string(limits.per_address) + " already open from that address"
                  : std::to_string(limits.total) + " already open in all") +
             " (" + std::to_string(count) + " refused since start)");
}

void HttpsServer::work() {
    for (;;) {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        Admitted next = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        router_->serve(next.socket.get(), wake_.get(), stopping_);
    }
}

std::vector<uint8_t> peer_certificate_der(const httplib::Request& req) {
    if (!req.ssl) return {};
    X509* cert = SSL_get1_peer_certificate(req.ssl);
    if (!cert) return {};
    unsigned char* der = nullptr;
    const int len = i2d_X509(cert, &der);
    std::vector<uint8_t> out;
    if (len > 0) out.assign(der, der + len);
    OPENSSL_free(der);
    X509_free(cert);
    return out;
}

}  // namespace rca
