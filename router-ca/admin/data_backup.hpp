#pragma once
// The data directory as a backup archive, and back: what is in it (the CA's certificates and
// keys, the router's TLS files, a consistent copy of the database) and the atomic restore.
// The archive is then sealed with admin/backup_format.*.
#include <functional>
#include <string>

#include "admin/tar_archive.hpp"
#include "core/result.hpp"
#include "files/data_paths.hpp"

namespace rca::admin {

/// Writes a consistent copy of the database to the given path (SqliteStore::snapshot_to).
using DatabaseSnapshot = std::function<void(const std::string& path)>;

/// The tar of `paths`' ca/ and server/ files and a snapshot of the database (as router-ca.db),
/// with their permission bits. The control socket and SQLite's -wal/-shm files are left out:
/// the snapshot already holds everything committed.
Bytes archive_data_dir(const DataPaths& paths, const DatabaseSnapshot& snapshot);

/// Restores `entries` (from read_tar) as the data directory `paths.dir`. Refuses (conflict)
/// when that directory already holds a CA unless `force`, and refuses archives without a root
/// and a database. Writes everything to a new sibling directory first (files fsynced), then
/// swaps it in with one rename(2) (renameat2 RENAME_EXCHANGE when the directory exists), so a
/// crash leaves either the old or the new directory, never a mix. Returns where the replaced
/// directory was moved ("" when there was none).
Result<std::string> restore_data_dir(const DataPaths& paths, const std::vector<TarEntry>& entries,
                                     bool force);

}  // namespace rca::admin
