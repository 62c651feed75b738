#pragma once
// Admission of TCP connections: at most so many open at once from one client address and in
// total. A LAN attacker who opens hundreds of connections from one address gets a few slots and
// everyone else keeps theirs. The caller closes a refused connection at once. A slot is freed when
// the server has closed its connection, so a client that closes and at once reconnects at its
// limit may be refused.
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

struct sockaddr_storage;

namespace rca {

/// A browser opens up to 6 connections to one host (HTTP/1.1 practice in Chromium and Firefox),
/// so one address gets that many and no more.
inline constexpr size_t kDefaultConnectionsPerAddress = 6;
/// Connections served at once; the HTTPS server runs one worker thread per connection, so this
/// is also its thread count. 16 leaves 10 for the rest of the home while one address holds 6,
/// and costs a home router well under 1 MiB of stacks actually touched.
inline constexpr size_t kDefaultConnectionsTotal = 16;

/// The two bounds; both at least 1, per_address at most total.
struct ConnectionLimits {
    size_t per_address = kDefaultConnectionsPerAddress;
    size_t total = kDefaultConnectionsTotal;
};

/// Counts open connections by client address; thread-safe.
class ConnectionLimiter {
  public:
    explicit ConnectionLimiter(ConnectionLimits limits) : limits_(limits) {}
    ConnectionLimiter(const ConnectionLimiter&) = delete;
    ConnectionLimiter& operator=(const ConnectionLimiter&) = delete;

    /// One admitted connection; its slot is freed when the Slot is destroyed. Must not outlive
    /// the limiter.
    class Slot {
      public:
        Slot(Slot&& o) noexcept : owner_(o.owner_), address_(std::move(o.address_)) {
            o.owner_ = nullptr;
        }
        Slot& operator=(Slot&& o) noexcept;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot();

      private:
        friend class ConnectionLimiter;
        Slot(ConnectionLimiter* owner, std::string address)
            : owner_(owner), address_(std::move(address)) {}
        ConnectionLimiter* owner_;
        std::string address_;
    };

    /// Why a connection was refused, or admitted.
    enum class Verdict { admitted, per_address_full, total_full };

    /// Admits a connection from `address` (any stable text naming the client's IP) when both
    /// bounds allow; `slot` receives the admission.
    Verdict admit(const std::string& address, std::optional<Slot>& slot);

    /// Connections refused so far, for either reason.
    uint64_t refused() const;
    /// Connections open now.
    size_t open() const;
    const ConnectionLimits& limits() const { return limits_; }

  private:
    void release(const std::string& address);

    const ConnectionLimits limits_;
    mutable std::mutex mutex_;
    std::map<std::string, size_t> per_address_;
    size_t open_ = 0;
    uint64_t refused_ = 0;
};

/// The numeric IP of a socket address (IPv4 or IPv6), the key connections are counted by, and its
/// port in `port` when asked for; empty for other families.
std::string ip_text(const sockaddr_storage& address, int* port = nullptr);

}  // namespace rca
