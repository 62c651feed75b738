#pragma once
// HQ's PostgreSQL schema: hq/store/postgres_migrations/NNN_name.sql, embedded at build time by
// router-ca's embed_migrations.cmake and applied by the shared runner (store/schema_migrator.hpp)
// with the version kept in the table hq_schema_version.
#include <vector>

#include "store/schema_migrator.hpp"

namespace hq::schema::postgres {

/// Every PostgreSQL migration in order; entry i has version i + 1. Defined in the generated source.
const std::vector<rca::schema::Migration>& embedded_migrations();

}  // namespace hq::schema::postgres
