#pragma once
// Names below a zone's apex kept in independent shards, one per subtree (HQ: one per home of its
// vendor zone), each replaced alone: a change costs the size of its shard, not of the zone
// (issue 17: a vendor zone of millions of records is never rebuilt whole). A Zone made with
// shards answers from them what its own records do not hold. Thread-safe: a query takes one
// shard's immutable snapshot under a shared lock, so it never sees half a replacement.
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/zone_nodes.hpp"

namespace rca {

/// The shards of the zone at apex, keyed by their root (a name strictly below the apex).
class ZoneShards {
  public:
    /// Shards of the zone at apex (canonical or not); throws std::invalid_argument if invalid.
    explicit ZoneShards(const std::string& apex);

    /// Replaces the shard rooted at root with records (owners at or below root, any case); no
    /// records removes it. Throws std::invalid_argument, changing nothing, for a root not below
    /// the apex, an owner outside root or RDATA that does not match its type.
    void replace(const std::string& root, std::vector<ResourceRecord> records);
    /// Replaces every shard at once (root -> records, as replace takes them); roots absent from
    /// shards go. Checked whole before anything changes.
    void replace_all(const std::map<std::string, std::vector<ResourceRecord>>& shards);
    /// The shard holding canonical (the nearest root at or above it), or null.
    std::shared_ptr<const ZoneNodes> find(const std::string& canonical) const;
    /// The root of the shard a name at or below the apex belongs to: its ancestor one label
    /// below the apex; empty for the apex itself or a name outside the zone.
    std::string root_of(const std::string& name) const;
    /// How many shards are held.
    size_t size() const;

  private:
    std::shared_ptr<const ZoneNodes> build(const std::string& root,
                                           std::vector<ResourceRecord> records) const;

    std::string apex_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const ZoneNodes>> shards_;
};

}  // namespace rca
