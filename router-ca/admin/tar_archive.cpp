#include "admin/tar_archive.hpp"

#include <cstring>
#include <stdexcept>

namespace rca::admin {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kNameField = 100;

// Field offsets of the ustar header (POSIX.1-2017, pax "ustar Interchange Format").
constexpr size_t kMode = 100, kUid = 108, kGid = 116, kSize = 124, kMtime = 136, kChecksum = 148,
                 kType = 156, kMagic = 257, kVersion = 263;

void octal(uint8_t* field, size_t width, uint64_t value) {
    // width - 1 zero-padded octal digits, then NUL.
    for (size_t i = width - 1; i-- > 0;) {
        field[i] = static_cast<uint8_t>('0' + (value & 7));
        value >>= 3;
    }
    if (value != 0) throw std::invalid_argument("value too large for a ustar header field");
    field[width - 1] = 0;
}

unsigned checksum(const uint8_t* header) {
    unsigned sum = 0;
    for (size_t i = 0; i < kBlock; ++i)
        sum += (i >= kChecksum && i < kChecksum + 8) ? ' ' : header[i];
    return sum;
}

bool parse_octal(const uint8_t* field, size_t width, uint64_t& out) {
    out = 0;
    size_t i = 0;
    while (i < width && field[i] == ' ') ++i;
    bool any = false;
    for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) {
        if (out > (UINT64_MAX >> 3)) return false;
        out = (out << 3) | static_cast<uint64_t>(field[i] - '0');
        any = true;
    }
    for (; i < width; ++i)
        if (field[i] != 0 && field[i] != ' ') return false;
    return any;
}

}  // namespace

bool safe_relative_path(const std::string& path) {
    if (path.empty() || path.find('\0') != std::string::npos ||
        path.find('\\') != std::string::npos)
        return false;
    size_t start = 0;
    for (;;) {
        const size_t slash = path.find('/', start);
        const std::string part =
            path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        // An empty part is a leading '/' (absolute), "//" or a trailing '/'.
        if (part.empty() || part == "." || part == "..") return false;
        if (slash == std::string::npos) return true;
        start = slash + 1;
    }
}

Bytes write_tar(const std::vector<TarEntry>& entries) {
    Bytes out;
    for (const auto& e : entries) {
        if (!safe_relative_path(e.path))
            throw std::invalid_argument("cannot archive path '" + e.path + "'");
        // Directories end in '/' by convention, which old readers rely on.
        const std::string name = e.directory ? e.path + "/" : e.path;
        if (name.size() >= kNameField)
            throw std::invalid_argument("cannot archive path '" + e.path + "': too long");
        uint8_t header[kBlock] = {};
        std::memcpy(header, name.data(), name.size());
        octal(header + kMode, 8, e.mode & 07777);
        octal(header + kUid, 8, 0);
        octal(header + kGid, 8, 0);
        octal(header + kSize, 12, e.directory ? 0 : e.content.size());
        octal(header + kMtime, 12, 0);
        header[kType] = e.directory ? '5' : '0';
        std::memcpy(header + kMagic, "ustar", 6);  // with its NUL
        std::memcpy(header + kVersion, "00", 2);
        octal(header + kChecksum, 7, checksum(header));
        header[kChecksum + 7] = ' ';
        out.insert(out.end(), header, header + kBlock);
        if (e.directory) continue;
        out.insert(out.end(), e.content.begin(), e.content.end());
        out.resize(out.size() + (kBlock - e.content.size() % kBlock) % kBlock, 0);
    }
    out.resize(out.size() + 2 * kBlock, 0);  // two zero blocks end the archive
    return out;
}

Result<std::vector<TarEntry>> read_tar(const Bytes& archive) {
    std::vector<TarEntry> entries;
    size_t at = 0;
    for (;;) {
        if (at + kBlock > archive.size())
            return fail(Errc::malformed, "the archive ends without its end marker");
        const uint8_t* header = archive.data() + at;
        bool zero = true;
        for (size_t i = 0; i < kBlock && zero; ++i) zero = header[i] == 0;
        if (zero) return entries;
        uint64_t stored_sum = 0, size = 0, mode = 0;
        if (!parse_octal(header + kChecksum, 8, stored_sum) || stored_sum != checksum(header))
            return fail(Errc::malformed, "an archive header's checksum is wrong");
        if (std::memcmp(header + kMagic, "ustar", 5) != 0)
            return fail(Errc::malformed, "not a ustar archive");
        if (!parse_octal(header + kSize, 12, size) || !parse_octal(header + kMode, 8, mode))
            return fail(Errc::malformed, "an archive header has a bad size or mode");
        const char type = static_cast<char>(header[kType]);
        if (type != '0' && type != '\0' && type != '5')
            return fail(Errc::malformed,
                        "the archive holds something other than files and "
                        "directories");
        if (header[345] != 0)  // the ustar prefix field: this writer never uses it
            return fail(Errc::malformed, "the archive uses long path names");
        std::string path(reinterpret_cast<const char*>(header),
                         strnlen(reinterpret_cast<const char*>(header), kNameField));
        const bool directory = type == '5';
        if (directory && !path.empty() && path.back() == '/') path.pop_back();
        if (!safe_relative_path(path))
            return fail(Errc::malformed, "the archive holds an unsafe path '" + path + "'");
        at += kBlock;
        if (directory) size = 0;
        if (size > archive.size() - at)
            return fail(Errc::malformed, "the archive is truncated in '" + path + "'");
        TarEntry e{path, directory, static_cast<uint32_t>(mode & 0777), {}};
        e.content.assign(archive.begin() + static_cast<std::ptrdiff_t>(at),
                         archive.begin() + static_cast<std::ptrdiff_t>(at + size));
        at += size + (kBlock - size % kBlock) % kBlock;
        entries.push_back(std::move(e));
    }
}

}  // namespace rca::admin
