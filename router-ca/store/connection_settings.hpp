#pragma once
// The pragmas every store connection runs before it is used, in one place so that the store and
// its tests agree on them.
#include "store/sqlite_handle.hpp"

namespace rca {

/// Applies the store's pragmas (busy timeout, WAL, foreign keys, synchronous=FULL) to `db`.
void apply_store_settings(sqlite::Connection& db);

}  // namespace rca
