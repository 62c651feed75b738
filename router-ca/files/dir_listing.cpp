#include "files/dir_listing.hpp"

#include <dirent.h>
#include <sys/types.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

namespace rca::files {

// The top-level CMakeLists.txt builds with _FILE_OFFSET_BITS=64: with a 32-bit off_t, readdir
// cannot return a directory offset past 2^31 and fails (EOVERFLOW).
static_assert(sizeof(off_t) == 8, "build with large-file support (_FILE_OFFSET_BITS=64)");

std::optional<std::vector<DirEntry>> list_dir(const std::string& dir) {
    // Closed on every path, also when a push_back below throws.
    const std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(dir.c_str()), ::closedir);
    if (!listing) {
        if (errno == ENOENT) return std::nullopt;
        throw std::system_error(errno, std::generic_category(), "cannot list " + dir);
    }
    std::vector<DirEntry> entries;
    // POSIX readdir: "applications wishing to check for error situations should set errno to 0
    // before calling readdir(), then check errno" when it returns NULL.
    for (;;) {
        errno = 0;
        const dirent* entry = ::readdir(listing.get());
        if (!entry) break;
        if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
        entries.push_back({entry->d_name, entry->d_type == DT_DIR});
    }
    const int error = errno;
    if (error != 0) throw std::system_error(error, std::generic_category(), "cannot list " + dir);
    return entries;
}

}  // namespace rca::files
