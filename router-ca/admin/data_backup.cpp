#include "admin/data_backup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "files/atomic_file.hpp"
#include "files/dir_listing.hpp"

namespace rca::admin {
namespace {

// The folders of the data directory that a backup carries, besides the database.
const char* const kFolders[] = {"ca", "server"};
constexpr const char* kDatabaseName = "router-ca.db";

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

Bytes read_bytes(const std::string& path) {
    const std::string text = files::read_file(path);
    return Bytes(text.begin(), text.end());
}

void add_folder(const std::string& dir, const std::string& relative, std::vector<TarEntry>& out) {
    const std::string full = dir + "/" + relative;
    const auto listing = files::list_dir(full);
    if (!listing) return;
    out.push_back({relative, true, 0700, {}});
    std::vector<std::string> names;
    for (const auto& entry : *listing) names.push_back(entry.name);
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        struct stat st {};
        const std::string path = full + "/" + name;
        if (::lstat(path.c_str(), &st) != 0) throw_errno("cannot stat " + path);
        if (!S_ISREG(st.st_mode)) continue;  // temporary files' sockets, links: not ours to copy
        out.push_back({relative + "/" + name, false, static_cast<uint32_t>(st.st_mode & 0777),
                       read_bytes(path)});
    }
}

void write_new_file(const std::string& path, const Bytes& content, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw_errno("cannot create " + path);
    size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            throw_errno("cannot write " + path);
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) throw_errno("cannot write " + path);
}

std::string parent_of(const std::string& dir) {
    const auto slash = dir.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : dir.substr(0, slash);
}

// Best effort, for clean-up paths that are already throwing: never throws itself.
void remove_tree(const std::string& path) {
    std::optional<std::vector<files::DirEntry>> listing;
    try {
        listing = files::list_dir(path);
    } catch (const std::system_error&) {  // not a folder (ENOTDIR), or one that cannot be listed
    }
    if (!listing) {  // also gone, or a symlink whose target is (list_dir follows links)
        ::unlink(path.c_str());
        return;
    }
    for (const auto& entry : *listing) remove_tree(path + "/" + entry.name);
    ::rmdir(path.c_str());
}

}  // namespace

Bytes archive_data_dir(const DataPaths& paths, const DatabaseSnapshot& snapshot) {
    std::vector<TarEntry> entries;
    for (const char* folder : kFolders) add_folder(paths.dir, folder, entries);
    // VACUUM INTO writes a new file; a name no other backup is using at the same moment.
    const std::string copy = paths.dir + "/.backup-" + std::to_string(::getpid()) + "-" +
                             std::to_string(std::time(nullptr)) + "-" +
                             std::to_string(reinterpret_cast<uintptr_t>(&entries)) + ".db";
    try {
        snapshot(copy);
        entries.push_back({kDatabaseName, false, 0600, read_bytes(copy)});
    } catch (...) {
        ::unlink(copy.c_str());
        throw;
    }
    ::unlink(copy.c_str());
    return write_tar(entries);
}

Result<std::string> restore_data_dir(const DataPaths& paths, const std::vector<TarEntry>& entries,
                                     bool force) {
    bool has_root = false, has_database = false;
    for (const auto& e : entries) {
        has_root = has_root || (!e.directory && e.path == "ca/root.pem");
        has_database = has_database || (!e.directory && e.path == kDatabaseName);
    }
    if (!has_root || !has_database)
        return fail(Errc::malformed, "the backup holds no CA root or no database");
    if (files::exists(paths.root_cert()) && !force)
        return fail(Errc::conflict, paths.dir +
                                        " already holds a CA; restoring would replace it (and "
                                        "every device would have to pair again unless the "
                                        "backup holds the same root). Pass --force to do it");

    std::string staging = paths.dir + ".restore-XXXXXX";
    if (!::mkdtemp(staging.data())) throw_errno("cannot create a folder next to " + paths.dir);
    try {
        ::chmod(staging.c_str(), 0700);
        for (const auto& e : entries) {
            const std::string path = staging + "/" + e.path;
            if (e.directory) {
                if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
                    throw_errno("cannot create " + path);
                continue;
            }
            // Parent folders of files listed before their folder entry (or without one).
            for (size_t slash = e.path.find('/'); slash != std::string::npos;
                 slash = e.path.find('/', slash + 1)) {
                const std::string folder = staging + "/" + e.path.substr(0, slash);
                if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
                    throw_errno("cannot create " + folder);
            }
            // Never more than the owner's read-write and others' read (certificates); keys
            // were 0600 in the archive and stay so.
            write_new_file(path, e.content, static_cast<mode_t>(e.mode & 0644));
        }
        for (const char* folder : kFolders) {
            const std::string dir = staging + "/" + folder;
            if (files::exists(dir)) files::sync_dir(dir);
        }
        files::sync_dir(staging);
    } catch (...) {
        remove_tree(staging);
        throw;
    }

    std::string replaced;
    if (files::exists(paths.dir)) {
        // RENAME_EXCHANGE (Linux 3.15) swaps the two names in one step: at no moment is the
        // data directory missing or half-written.
        if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, paths.dir.c_str(), RENAME_EXCHANGE) !=
            0) {
            const int saved = errno;
            remove_tree(staging);
            errno = saved;
            throw_errno("cannot swap " + staging + " and " + paths.dir);
        }
        replaced = paths.dir + ".replaced-" + std::to_string(std::time(nullptr));
        if (::rename(staging.c_str(), replaced.c_str()) != 0) replaced = staging;
    } else if (::rename(staging.c_str(), paths.dir.c_str()) != 0) {
        const int saved = errno;
        remove_tree(staging);
        errno = saved;
        throw_errno("cannot rename " + staging + " to " + paths.dir);
    }
    files::sync_dir(parent_of(paths.dir));
    return replaced;
}

}  // namespace rca::admin
