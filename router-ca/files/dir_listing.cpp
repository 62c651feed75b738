#include "files/dir_listing.hpp"

#include <dirent.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace rca::files {

std::optional<std::vector<DirEntry>> list_dir(const std::string& dir) {
    DIR* listing = ::opendir(dir.c_str());
    if (!listing) {
        if (errno == ENOENT) return std::nullopt;
        throw std::system_error(errno, std::generic_category(), "cannot list " + dir);
    }
    std::vector<DirEntry> entries;
    // POSIX readdir: "applications wishing to check for error situations should set errno to 0
    // before calling readdir(), then check errno" when it returns NULL.
    for (;;) {
        errno = 0;
        const dirent* entry = ::readdir(listing);
        if (!entry) break;
        if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
        entries.push_back({entry->d_name, entry->d_type == DT_DIR});
    }
    const int error = errno;
    ::closedir(listing);
    if (error != 0) throw std::system_error(error, std::generic_category(), "cannot list " + dir);
    return entries;
}

}  // namespace rca::files
