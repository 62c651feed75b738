#include "daemon/ca_files.hpp"

#include <botan/data_src.h>
#include <botan/pkcs8.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "files/atomic_file.hpp"

namespace rca {
namespace {

constexpr mode_t kKeyMode = 0600;
constexpr mode_t kCertMode = 0644;
constexpr mode_t kDirMode = 0700;

bool any_exists(const DataPaths& p) {
    return files::exists(p.root_cert()) || files::exists(p.root_key()) ||
           files::exists(p.intermediate_cert()) || files::exists(p.intermediate_key());
}

bool all_exist(const DataPaths& p) {
    return files::exists(p.root_cert()) && files::exists(p.intermediate_cert()) &&
           files::exists(p.intermediate_key());
}

Botan::X509_Certificate read_certificate(const std::string& path) {
    return Botan::X509_Certificate(path);
}

}  // namespace

std::optional<Error> check_key_permissions(const std::string& key_path) {
    const mode_t mode = files::mode_of(key_path);
    if ((mode & 077) == 0) return std::nullopt;
    char octal[16];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    return fail(Errc::forbidden, "refusing to start: the private key " + key_path + " has mode " +
                                     octal + " and can be read by other users; run: chmod 600 " +
                                     key_path);
}

void write_private_key(const std::string& path, const Botan::Private_Key& key) {
    files::write_atomic(path, Botan::PKCS8::PEM_encode(key), kKeyMode);
}

std::shared_ptr<Botan::Private_Key> read_private_key(const std::string& path) {
    Botan::DataSource_Memory source(files::read_file(path));
    return std::shared_ptr<Botan::Private_Key>(Botan::PKCS8::load_key(source).release());
}

Result<CaHierarchy> load_or_create_ca(const DataPaths& paths, const HomePolicy& policy,
                                      Botan::RandomNumberGenerator& rng, TimePoint now,
                                      bool& created) {
    created = false;
    if (!any_exists(paths)) {
        CaHierarchy ca;
        ca.root = make_root(policy, rng, now);
        ca.intermediate = make_intermediate(ca.root, policy, rng, now);
        // All four files are written into a folder beside ca/ and renamed to ca/ in one step:
        // a power cut on the first start leaves either no CA (made again at the next start,
        // nothing having been issued or served) or the whole CA, never the half one that
        // would stop every later start as "incomplete".
        const std::string staging = paths.ca_staging_dir();
        std::filesystem::remove_all(staging);  // an earlier first start that was cut short
        files::make_dirs(staging, kDirMode);
        const auto staged = [&](const std::string& path) {
            return staging + path.substr(paths.ca_dir().size());
        };
        write_private_key(staged(paths.root_key()), *ca.root.key);
        write_private_key(staged(paths.intermediate_key()), *ca.intermediate.key);
        files::write_atomic(staged(paths.intermediate_cert()), ca.intermediate.cert.PEM_encode(),
                            kCertMode);
        files::write_atomic(staged(paths.root_cert()), ca.root.cert.PEM_encode(), kCertMode);
        // rename(2) replaces an empty ca/ (one made by hand, or by an older version).
        if (::rename(staging.c_str(), paths.ca_dir().c_str()) != 0)
            throw std::system_error(errno, std::generic_category(),
                                    "cannot rename " + staging + " to " + paths.ca_dir());
        files::sync_dir(paths.dir);
        created = true;
        return ca;
    }
    if (!all_exist(paths))
        return fail(Errc::unavailable,
                    "the CA in " + paths.ca_dir() +
                        " is incomplete (root.pem, intermediate.pem and intermediate.key.pem are "
                        "all needed); restore it from a backup or move the directory aside");
    // The root key may have been moved offline; the intermediate key must be here to issue.
    for (const auto& key : {paths.root_key(), paths.intermediate_key()}) {
        if (!files::exists(key)) continue;
        if (auto error = check_key_permissions(key)) return *error;
    }
    CaHierarchy ca;
    try {
        ca.root.cert = read_certificate(paths.root_cert());
        if (files::exists(paths.root_key())) ca.root.key = read_private_key(paths.root_key());
        ca.intermediate.cert = read_certificate(paths.intermediate_cert());
        ca.intermediate.key = read_private_key(paths.intermediate_key());
    } catch (const std::exception& e) {
        return fail(Errc::unavailable, std::string("cannot load the CA: ") + e.what());
    }
    for (const auto* cert : {&ca.root.cert, &ca.intermediate.cert})
        if (auto error = check_constraints_match(*cert, policy)) return *error;
    return ca;
}

}  // namespace rca
