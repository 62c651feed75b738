#include "hq/daemon/store_opening.hpp"

#include "daemon/log.hpp"
#include "files/atomic_file.hpp"
#include "hq/store/postgres_hq_store.hpp"
#include "hq/store/sqlite_hq_store.hpp"

namespace hq {

std::unique_ptr<HqStore> open_store(const HqConfig& config, const std::string& instance) {
    rca::files::make_dirs(config.data_dir, 0700);
    if (config.postgres_url.empty()) {
        rca::log_line("store: SQLite " + config.db_path);
        return std::make_unique<SqliteHqStore>(config.db_path);
    }
    auto store =
        std::make_unique<PostgresHqStore>(config.postgres_url, instance, config.order_lease);
    rca::log_line("store: PostgreSQL " + store->describe() + "; instance " + instance +
                  ", order lease " + std::to_string(config.order_lease.count()) + " s");
    return store;
}

}  // namespace hq
