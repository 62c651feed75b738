#pragma once
// Opening the store a configuration names, shared by `hq serve` and `hq routers`.
#include <memory>
#include <string>

#include "hq/core/hq_store.hpp"
#include "hq/daemon/hq_config.hpp"

namespace hq {

/// The store --db names (SQLite DATA/hq.db by default), created or migrated; the data folder is
/// made 0700. Logs which store, never a password. Throws when it cannot be opened.
std::unique_ptr<HqStore> open_store(const HqConfig& config, const std::string& instance);

}  // namespace hq
