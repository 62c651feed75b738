#pragma once
// The zones one responder serves, as one immutable snapshot: the home zone and its reverse zones
// today, a vendor zone later. A question goes to the closest enclosing zone, as in RFC 1034
// §4.3.2 step 2; a name in none of them is REFUSED (router-ca is never a resolver).
#include <string>
#include <unordered_map>
#include <vector>

#include "core/zone.hpp"

namespace rca {

/// An immutable set of zones with distinct apexes.
class ZoneSet {
  public:
    /// An empty set: every question is REFUSED.
    ZoneSet() = default;
    /// Holds zones; throws std::invalid_argument when two share an apex.
    explicit ZoneSet(std::vector<Zone> zones);

    /// The zone with the longest apex enclosing name (canonical or not); nullptr when none.
    const Zone* find_zone(const std::string& name) const;
    /// Answers from the closest enclosing zone; REFUSED, not authoritative, when none encloses it.
    ZoneAnswer answer(const Question& question) const;
    /// The zones, in the order given.
    const std::vector<Zone>& zones() const { return zones_; }

  private:
    const Zone* find_canonical(const std::string& canonical) const;

    std::vector<Zone> zones_;
    std::unordered_map<std::string, size_t> by_apex_;
};

}  // namespace rca
