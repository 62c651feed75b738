#pragma once
// How many password hashes run at once. Each Argon2 check holds its whole memory cost (9 MiB by
// default, admin/password_hash.hpp) until it ends, so the daemon's peak memory under a flood of
// logins is the number of slots times that cost, not the number of connections (16) times it. An
// attempt that finds every slot busy is answered at once (429) rather than queued: a queue of
// waiting requests would hold connections and memory of its own. Thread-safe.
#include <cstddef>
#include <mutex>
#include <optional>

namespace rca::admin {

/// Two slots: a router with two cores hashes on both, and two 9 MiB hashes keep the daemon under
/// its 48 MiB budget (docs/security.md, "Admin login under attack").
inline constexpr size_t kDefaultHashingSlots = 2;

/// A fixed number of slots, each held by one running hash.
class HashingSlots {
  public:
    /// `count` slots, at least 1.
    explicit HashingSlots(size_t count = kDefaultHashingSlots);
    HashingSlots(const HashingSlots&) = delete;
    HashingSlots& operator=(const HashingSlots&) = delete;

    /// One taken slot, given back when destroyed; must not outlive its HashingSlots.
    class Slot {
      public:
        Slot(Slot&& o) noexcept : owner_(o.owner_) { o.owner_ = nullptr; }
        Slot& operator=(Slot&&) = delete;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot();

      private:
        friend class HashingSlots;
        explicit Slot(HashingSlots* owner) : owner_(owner) {}
        HashingSlots* owner_;
    };

    /// A free slot, or nullopt at once when all are taken.
    std::optional<Slot> try_take();

  private:
    const size_t count_;
    std::mutex mutex_;
    size_t taken_ = 0;
};

}  // namespace rca::admin
