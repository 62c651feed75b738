#include "files/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "files/dir_listing.hpp"

namespace rca::files {
namespace {

[[noreturn]] void throw_errno(const std::string& what, const std::string& path) {
    throw std::system_error(errno, std::generic_category(), what + " " + path);
}

std::string parent_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// Closes the descriptor on every path out of write_atomic.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// write_atomic's temporary is the target's path, this marker and mkstemp's six random characters.
const std::string kTemporaryMarker = ".tmp.";
const std::string kMkstempTemplate = "XXXXXX";

bool is_temporary_name(const std::string& name) {
    const size_t tail = kTemporaryMarker.size() + kMkstempTemplate.size();
    return name.size() > tail &&
           name.compare(name.size() - tail, kTemporaryMarker.size(), kTemporaryMarker) == 0;
}

// Writes contents to a fresh temporary beside path, mode set before the first byte, fsynced;
// returns the temporary's name. The caller moves it into place.
std::string write_temporary(const std::string& path, const std::string& contents, mode_t mode) {
    // mkstemp-style unique name so that two writers never share a temporary.
    std::string tmp = path + kTemporaryMarker + kMkstempTemplate;
    Fd file{::mkstemp(tmp.data())};
    if (file.fd < 0) throw_errno("cannot create temporary for", path);
    // Set the mode before any byte is written, so a key is never briefly readable by others.
    if (::fchmod(file.fd, mode) != 0) {
        ::unlink(tmp.c_str());
        throw_errno("cannot chmod", tmp);
    }
    const char* data = contents.data();
    size_t left = contents.size();
    while (left > 0) {
        const ssize_t n = ::write(file.fd, data, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            ::unlink(tmp.c_str());
            throw_errno("cannot write", tmp);
        }
        data += n;
        left -= static_cast<size_t>(n);
    }
    if (::fsync(file.fd) != 0) {
        ::unlink(tmp.c_str());
        throw_errno("cannot fsync", tmp);
    }
    return tmp;
}

}  // namespace

void write_atomic(const std::string& path, const std::string& contents, mode_t mode) {
    const std::string tmp = write_temporary(path, contents, mode);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        throw_errno("cannot rename into place", path);
    }
    sync_dir(parent_of(path));
}

void write_new_atomic(const std::string& path, const std::string& contents, mode_t mode) {
    const std::string tmp = write_temporary(path, contents, mode);
    // link() fails with EEXIST instead of replacing, so an existing file is never overwritten,
    // even by a writer racing this one (rename() would replace it).
    if (::link(tmp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(tmp.c_str());
        errno = error;
        throw_errno(error == EEXIST ? "refusing to overwrite" : "cannot link into place", path);
    }
    ::unlink(tmp.c_str());
    sync_dir(parent_of(path));
}

void remove_durably(const std::string& path) {
    if (::unlink(path.c_str()) != 0) throw_errno("cannot remove", path);
    sync_dir(parent_of(path));
}

void rename_durably(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) throw_errno("cannot rename " + from + " to", to);
    sync_dir(parent_of(to));
}

size_t remove_temporaries(const std::string& dir) {
    const auto listing = list_dir(dir);
    if (!listing) return 0;
    std::vector<std::string> found;
    for (const auto& entry : *listing)
        if (!entry.is_dir && is_temporary_name(entry.name)) found.push_back(dir + "/" + entry.name);
    for (const auto& path : found)
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw_errno("cannot remove", path);
    if (!found.empty()) sync_dir(dir);
    return found.size();
}

void sync_dir(const std::string& dir) {
    Fd d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (d.fd < 0) throw_errno("cannot open directory", dir);
    if (::fsync(d.fd) != 0) throw_errno("cannot fsync directory", dir);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::system_error(errno, std::generic_category(), "cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

void make_dirs(const std::string& path, mode_t mode) {
    if (path.empty() || exists(path)) return;
    make_dirs(parent_of(path), mode);
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) throw_errno("cannot create", path);
}

mode_t mode_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw_errno("cannot stat", path);
    return st.st_mode & 07777;
}

}  // namespace rca::files
