#pragma once
// Encoded responses kept per zone snapshot, so a repeated question costs a lookup and a few byte
// patches instead of building a packet with libldns again (which allocates per label and compares
// names case-insensitively in a tree to compress them). Only the parts a question can change are
// patched: the ID, RD and CD bits, the question name's case, and the DO bit. The rest of a
// response depends only on the snapshot and on (name, type, class, EDNS present, size limit).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/zone_set.hpp"
#include "dns/response_layout.hpp"

namespace rca::dns {

/// One thread's cache of encoded responses for the snapshot it last served; not thread-safe.
class ResponseCache {
  public:
    /// At most max_entries responses (0: none, every response is built afresh); when full it
    /// starts over, so a flood of distinct names cannot grow it.
    explicit ResponseCache(size_t max_entries = 4096) : max_entries_(max_entries) {}

    /// Empties the cache when zones is not the snapshot it holds, and holds zones (so its address
    /// cannot be reused by a later snapshot while cached responses refer to it).
    void use(const std::shared_ptr<const ZoneSet>& zones);

    /// A cached response template, or nullptr.
    struct Entry {
        std::vector<uint8_t> wire;  ///< built for ID 0, RD, CD and DO clear
        ResponseLayout layout;      ///< what a hit patches, and where
        uint16_t rcode = 0;
        bool truncated = false;
    };
    /// The entry for key, or nullptr.
    const Entry* find(const std::string& key) const;
    /// Stores an entry under key.
    void store(const std::string& key, Entry entry);
    /// How many entries are held.
    size_t size() const { return entries_.size(); }

  private:
    size_t max_entries_;
    std::shared_ptr<const ZoneSet> zones_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace rca::dns
