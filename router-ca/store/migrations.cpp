#include "store/migrations.hpp"

namespace rca::schema {

int latest_version() { return static_cast<int>(embedded_migrations().size()); }

void migrate(sqlite::Connection& db, int to) {
    apply_migrations(db, embedded_migrations(), to, "router-ca");
}

}  // namespace rca::schema
