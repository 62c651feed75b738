#pragma once
// The names of a zone (or of one shard of it, zone_shards.hpp) and their records, as a Zone
// stores them: owner -> records, with the empty non-terminals present so that they answer NODATA
// rather than NXDOMAIN (RFC 8020 §2).
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/zone_record.hpp"

namespace rca {

/// Owner names and their records, built once, then read from any number of threads.
class ZoneNodes {
  public:
    /// A record as stored: its owner is the map key, and a zone's one SOA lives in the Zone, so
    /// the RDATA needs no SoaData alternative. 48 octets instead of a ResourceRecord's 136 plus
    /// its owner's heap copy: a zone of 10,000 devices and their PTRs stays a few MiB.
    struct StoredRecord {
        RrType type;
        uint32_t ttl;
        std::variant<Ipv4, NameData, TxtData> data;
    };

    /// Makes `owner` (canonical) exist, with no records of its own unless added.
    void touch(const std::string& owner);
    /// Adds rr (owner canonical) unless an identical one is held (RFC 2181 §5: an RRset holds no
    /// duplicates, TTLs aside). Throws std::invalid_argument when the owner is not a zone name or
    /// the RDATA does not match the type; SOA is not stored here (the Zone holds it).
    void add(const ResourceRecord& rr);
    /// Makes every name between an owner and `top` exist, `top` itself included when include_top.
    void add_empty_non_terminals(const std::string& top, bool include_top);

    /// The records of canonical, or nullptr when the name does not exist here.
    const std::vector<StoredRecord>* find(const std::string& canonical) const;
    /// The stored record as an answer owned by name.
    static ResourceRecord to_record(const std::string& name, const StoredRecord& stored);
    /// How many records are held.
    size_t record_count() const { return record_count_; }

  private:
    std::unordered_map<std::string, std::vector<StoredRecord>> nodes_;
    size_t record_count_ = 0;
};

/// True when rr's RDATA is of the kind its type needs, with valid names in it.
bool rdata_matches_type(const ResourceRecord& rr);

}  // namespace rca
