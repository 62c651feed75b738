#pragma once
// A minimal POSIX ustar writer and reader (POSIX.1-2001 "pax" format's ustar header) for the
// backup archive: regular files and directories only, in memory. Pure. Reading is strict, since
// restore writes what it finds into the data directory: no absolute paths, no "..", no links.
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/types.hpp"

namespace rca::admin {

/// One member of an archive.
struct TarEntry {
    std::string path;  ///< relative, '/'-separated, at most 99 bytes
    bool directory = false;
    uint32_t mode = 0600;  ///< permission bits only
    Bytes content;         ///< empty for directories
};

/// The archive holding `entries` in order (times and owners zeroed, so the output depends only
/// on the entries). Throws std::invalid_argument for a path that is empty, too long or unsafe.
Bytes write_tar(const std::vector<TarEntry>& entries);

/// The entries of `archive`, or a malformed error for anything but well-formed ustar regular
/// files and directories with safe relative paths.
Result<std::vector<TarEntry>> read_tar(const Bytes& archive);

/// True when `path` is relative, non-empty, without "." or ".." components, NUL or '\\'.
bool safe_relative_path(const std::string& path);

}  // namespace rca::admin
