#pragma once
// HQ's schema: hq/store/migrations/NNN_name.sql, embedded at build time by router-ca's
// embed_migrations.cmake and applied by router-ca's migration runner (store/schema_migrator.hpp).
#include <vector>

#include "store/schema_migrator.hpp"

namespace hq::schema {

/// Every HQ migration in order; entry i has version i + 1. Defined in the generated source.
const std::vector<rca::schema::Migration>& embedded_migrations();

}  // namespace hq::schema
