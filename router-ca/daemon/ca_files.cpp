#include "daemon/ca_files.hpp"

#include <botan/data_src.h>
#include <botan/pkcs8.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "core/certificate_signer.hpp"
#include "files/atomic_file.hpp"
#include "files/dir_listing.hpp"

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

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The key ids of the intermediates made by rotation: every <id>.pem in intermediates_dir(). A key
// without its certificate is a rotation cut short before it counted, and is ignored.
std::vector<std::string> rotated_ids(const DataPaths& paths) {
    std::vector<std::string> ids;
    const auto listing = files::list_dir(paths.intermediates_dir());
    if (!listing) return ids;
    for (const auto& entry : *listing) {
        const std::string& name = entry.name;
        if (ends_with(name, ".pem") && !ends_with(name, ".key.pem"))
            ids.push_back(name.substr(0, name.size() - 4));
    }
    return ids;
}

// Where one intermediate's files are.
struct IntermediateFiles {
    std::string cert;
    std::string key;
};

std::vector<IntermediateFiles> intermediate_files(const DataPaths& paths) {
    std::vector<IntermediateFiles> all{{paths.intermediate_cert(), paths.intermediate_key()}};
    for (const auto& id : rotated_ids(paths))
        all.push_back({paths.intermediate_cert(id), paths.intermediate_key(id)});
    return all;
}

void write_ca_key(const std::string& path, const Botan::Private_Key& key,
                  const std::string& key_secret, Botan::RandomNumberGenerator& rng) {
    if (key_secret.empty()) return write_private_key(path, key);
    files::write_atomic(path, encrypted_key_pem(key, key_secret, kAtRestKeyIterations, rng),
                        kKeyMode);
}

// One intermediate from its files; with a secret, a plain key is encrypted in place, so that
// turning the secret on protects the keys already there.
Result<CaKey> load_intermediate(const IntermediateFiles& f, const std::string& key_secret,
                                Botan::RandomNumberGenerator& rng) {
    CaKey ca;
    std::string pem;
    try {
        ca.cert = read_certificate(f.cert);
        pem = files::read_file(f.key);
    } catch (const std::exception& e) {
        return fail(Errc::unavailable, std::string("cannot load the CA: ") + e.what());
    }
    if (is_encrypted_key_pem(pem) && key_secret.empty())
        return fail(Errc::unauthorized,
                    "refusing to start: the intermediate key " + f.key +
                        " is encrypted; start with --intermediate-key-secret FILE naming the "
                        "secret it was encrypted with");
    auto key = parse_private_key(pem, key_secret, f.key);
    if (!key) return key.error();
    if (key.value()->subject_public_key() != ca.cert.subject_public_key_info())
        return fail(Errc::unavailable,
                    "cannot load the CA: the key " + f.key + " does not belong to " + f.cert);
    ca.key = key.value();
    if (!key_secret.empty() && !is_encrypted_key_pem(pem))
        write_ca_key(f.key, *ca.key, key_secret, rng);
    return ca;
}

}  // namespace

std::optional<Error> check_key_permissions(const std::string& key_path, const std::string& what) {
    const mode_t mode = files::mode_of(key_path);
    if ((mode & 077) == 0) return std::nullopt;
    char octal[16];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    return fail(Errc::forbidden, "refusing to start: the " + what + " " + key_path + " has mode " +
                                     octal + " and can be read by other users; run: chmod 600 " +
                                     key_path);
}

Result<std::string> read_key_secret(const std::string& path) {
    std::string text;
    try {
        if (auto error = check_key_permissions(path, "intermediate key secret")) return *error;
        text = files::read_file(path);
    } catch (const std::exception& e) {
        return fail(Errc::unavailable,
                    std::string("cannot read the intermediate key secret: ") + e.what());
    }
    const std::string line = text.substr(0, text.find_first_of("\r\n"));
    if (line.size() < kMinKeySecretLength)
        return fail(Errc::malformed, "the intermediate key secret in " + path +
                                         " is shorter than " + std::to_string(kMinKeySecretLength) +
                                         " characters");
    return line;
}

void write_private_key(const std::string& path, const Botan::Private_Key& key) {
    files::write_atomic(path, Botan::PKCS8::PEM_encode(key), kKeyMode);
}

std::shared_ptr<Botan::Private_Key> read_private_key(const std::string& path) {
    Botan::DataSource_Memory source(files::read_file(path));
    return std::shared_ptr<Botan::Private_Key>(Botan::PKCS8::load_key(source).release());
}

std::string encrypted_key_pem(const Botan::Private_Key& key, const std::string& passphrase,
                              size_t iterations, Botan::RandomNumberGenerator& rng) {
    return Botan::PKCS8::PEM_encode_encrypted_pbkdf_iter(key, rng, passphrase, iterations,
                                                         "AES-256/CBC", "SHA-256");
}

bool is_encrypted_key_pem(const std::string& pem) {
    return pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos;
}

Result<std::shared_ptr<Botan::Private_Key>> parse_private_key(const std::string& pem,
                                                              const std::string& passphrase,
                                                              const std::string& what) {
    const bool encrypted = is_encrypted_key_pem(pem);
    if (encrypted && passphrase.empty())
        return fail(Errc::unauthorized, what + " is encrypted and no passphrase was given");
    try {
        Botan::DataSource_Memory source(pem);
        auto key =
            encrypted ? Botan::PKCS8::load_key(source, passphrase) : Botan::PKCS8::load_key(source);
        return std::shared_ptr<Botan::Private_Key>(std::move(key));
    } catch (const std::exception&) {
        // Botan reports a wrong passphrase as a decoding failure (CBC padding or the inner
        // PrivateKeyInfo); its message says nothing a user can act on.
        if (encrypted)
            return fail(Errc::unauthorized, "cannot decrypt " + what +
                                                ": wrong passphrase or secret, or a damaged file");
        return fail(Errc::malformed, what + " is not a PKCS#8 private key");
    }
}

Result<CaHierarchy> load_or_create_ca(const DataPaths& paths, const HomePolicy& policy,
                                      Botan::RandomNumberGenerator& rng, TimePoint now,
                                      bool& created, const std::string& key_secret) {
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
        write_ca_key(staged(paths.intermediate_key()), *ca.intermediate.key, key_secret, rng);
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
    std::vector<IntermediateFiles> intermediates;
    try {
        intermediates = intermediate_files(paths);
    } catch (const std::exception& e) {  // an unreadable intermediates folder (files::list_dir)
        return fail(Errc::unavailable, std::string("cannot load the CA: ") + e.what());
    }
    // The root key may have been moved offline; the intermediate keys must be here to issue.
    std::vector<std::string> keys{paths.root_key()};
    for (const auto& f : intermediates) keys.push_back(f.key);
    for (const auto& key : keys) {
        if (!files::exists(key)) continue;
        if (auto error = check_key_permissions(key)) return *error;
    }
    CaHierarchy ca;
    try {
        ca.root.cert = read_certificate(paths.root_cert());
        if (files::exists(paths.root_key())) ca.root.key = read_private_key(paths.root_key());
    } catch (const std::exception& e) {
        return fail(Errc::unavailable, std::string("cannot load the CA: ") + e.what());
    }
    std::vector<CaKey> loaded;
    for (const auto& f : intermediates) {
        auto one = load_intermediate(f, key_secret, rng);
        if (!one) return one.error();
        // One an older router-ca made (CaBounds::dns_and_ipv4) is loaded too: CaKeys replaces it
        // at once, and it goes on signing the CRLs of the leaves it issued.
        const auto bounds = check_constraints_match(one.value().cert, policy);
        if (!bounds) return bounds.error();
        loaded.push_back(one.value());
    }
    const auto root_bounds = check_constraints_match(ca.root.cert, policy);
    if (!root_bounds) return root_bounds.error();
    // The newest is the one new leaves come from; an older one is kept while it is valid, as
    // leaves never outlive their issuer (Issuer::issue_leaf).
    try {
        std::sort(loaded.begin(), loaded.end(), [](const CaKey& a, const CaKey& b) {
            return to_time_point(a.cert.not_before()) > to_time_point(b.cert.not_before());
        });
        ca.intermediate = loaded.front();
        for (size_t i = 1; i < loaded.size(); ++i)
            if (to_time_point(loaded[i].cert.not_after()) > now) ca.earlier.push_back(loaded[i]);
    } catch (const std::invalid_argument& e) {  // a validity system_clock cannot hold
        return fail(Errc::unavailable, std::string("cannot load the CA: ") + e.what());
    }
    return ca;
}

void save_rotated_intermediate(const DataPaths& paths, const CaKey& intermediate,
                               const std::string& key_secret, Botan::RandomNumberGenerator& rng) {
    files::make_dirs(paths.intermediates_dir(), kDirMode);
    const std::string id = ca_key_id(intermediate.cert);
    write_ca_key(paths.intermediate_key(id), *intermediate.key, key_secret, rng);
    files::write_atomic(paths.intermediate_cert(id), intermediate.cert.PEM_encode(), kCertMode);
}

}  // namespace rca
