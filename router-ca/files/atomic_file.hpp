#pragma once
// Crash-safe file writes, used by the daemon (CA keys, certificates) and by device-enrol (device
// key and certificates): write a temporary file beside the target, fsync it, rename it over the
// target, fsync the directory. A power cut leaves either the old file or the new one, never a
// truncated key (house style #11).
#include <sys/types.h>
#include <string>

namespace rca::files {

/// Atomically replaces `path` with `contents`, created with `mode` (e.g. 0600 for keys).
/// Throws std::system_error naming the path on failure; the old file is then untouched.
void write_atomic(const std::string& path, const std::string& contents, mode_t mode);

/// Removes the temporaries write_atomic left in `dir` when its process died before the rename
/// (never part of any file's contents); only while no write_atomic into `dir` can be running.
/// Returns how many were removed; throws std::system_error on failure.
size_t remove_temporaries(const std::string& dir);

/// As write_atomic, but refuses (std::system_error with EEXIST) when `path` exists already.
void write_new_atomic(const std::string& path, const std::string& contents, mode_t mode);

/// Removes `path` and fsyncs its directory, so that the removal survives a power cut; throws
/// std::system_error naming the path on failure. (Flash keeps the old blocks: this is not erasure.)
void remove_durably(const std::string& path);

/// Renames `from` over `to` and fsyncs their directory (both in one directory); throws
/// std::system_error naming them on failure.
void rename_durably(const std::string& from, const std::string& to);

/// Reads a whole file; throws std::system_error naming the path on failure.
std::string read_file(const std::string& path);

/// True when the path exists.
bool exists(const std::string& path);

/// Creates a directory (and parents) with `mode` if missing; throws on failure.
void make_dirs(const std::string& path, mode_t mode);

/// fsyncs a directory so that renames inside it are durable.
void sync_dir(const std::string& dir);

/// The permission bits of an existing file; throws if it cannot be stat'ed.
mode_t mode_of(const std::string& path);

}  // namespace rca::files
