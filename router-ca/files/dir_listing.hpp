#pragma once
// Listing a folder with every failure reported: readdir(3) ends both a complete listing and a
// failed one with NULL, told apart only by errno, so a caller that does not check errno takes a
// cut-short listing for the whole folder (a backup without the CA's files, a rotated intermediate
// not loaded, a killed write's temporaries left behind).
#include <optional>
#include <string>
#include <vector>

namespace rca::files {

/// One entry of a folder; is_dir only when the file system reports DT_DIR (DT_UNKNOWN is false).
struct DirEntry {
    std::string name;
    bool is_dir = false;
};

/// The entries of `dir` other than "." and "..", in the file system's order; std::nullopt when
/// `dir` does not exist. Throws std::system_error naming `dir` on any other failure, readdir's
/// included: a listing it returns is complete.
std::optional<std::vector<DirEntry>> list_dir(const std::string& dir);

}  // namespace rca::files
