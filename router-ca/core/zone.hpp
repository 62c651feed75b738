#pragma once
// An authoritative zone: an immutable set of records under one apex that answers questions the way
// RFC 1034 §4.3.2 describes, without the parts router-ca never needs (no delegations, CNAMEs or
// wildcards). Generic on purpose: the home zone, its reverse zones and a vendor zone carrying
// ACME TXT challenges (RFC 8555 §8.4) are all just Zones.
#include <memory>
#include <string>
#include <vector>

#include "core/zone_nodes.hpp"
#include "core/zone_record.hpp"
#include "core/zone_shards.hpp"

namespace rca {

/// The SOA RDATA of a zone at apex whose primary server is mname: serial as given, negative
/// answers cached for negative_ttl (RFC 2308 §4), mailbox hostmaster.<apex> (RFC 2142 §7) and the
/// usual RFC 1912 §2.2 timers. The home zone and HQ's vendor zone share it.
SoaData standard_soa(const std::string& apex, const std::string& mname, uint32_t serial,
                     uint32_t negative_ttl);

/// One zone; build it once, then answer from any number of threads.
class Zone {
  public:
    /// Builds the zone; throws std::invalid_argument unless apex and every owner are zone names,
    /// every owner lies at or below apex, exactly one SOA sits at the apex, and each record's
    /// RDATA matches its type. Identical records are kept once (RFC 2181 §5).
    Zone(const std::string& apex, std::vector<ResourceRecord> records);
    /// The same, answering the names its records do not hold from shards (shared with their
    /// writer, and changing under the zone: HQ's vendor zone, hq/core/vendor_zone.hpp). Null
    /// shards is a zone of its records only.
    Zone(const std::string& apex, std::vector<ResourceRecord> records,
         std::shared_ptr<const ZoneShards> shards);

    /// The apex, canonical (lowercase, no final dot).
    const std::string& apex() const { return apex_; }
    /// The SOA record at the apex.
    const ResourceRecord& soa() const { return soa_; }
    /// How many records the zone holds.
    size_t record_count() const { return record_count_; }

    /// Answers a question: REFUSED outside the zone or class IN; NOERROR with the records;
    /// NOERROR/NODATA or NXDOMAIN with the SOA in authority (RFC 2308 §2.1-2.2).
    ZoneAnswer answer(const Question& question) const;
    /// The same, for a caller that already holds canonical_name(question.name).
    ZoneAnswer answer(const Question& question, const std::string& canonical) const;

  private:
    // The SOA that goes into the authority section of a negative answer: its TTL is the smaller
    // of the SOA's own TTL and its MINIMUM field (RFC 2308 §3).
    ResourceRecord negative_soa() const;

    std::string apex_;
    ResourceRecord soa_;
    size_t record_count_ = 0;
    // Canonical owner -> its records, empty non-terminals included.
    ZoneNodes nodes_;
    std::shared_ptr<const ZoneShards> shards_;
};

}  // namespace rca
