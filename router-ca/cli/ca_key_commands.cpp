#include "cli/ca_key_commands.hpp"

#include <botan/pkcs8.h>
#include <botan/x509cert.h>

#include <cstdio>
#include <iostream>

#include "admin/backup_format.hpp"
#include "daemon/ca_files.hpp"
#include "daemon/control_socket.hpp"
#include "entropy/kernel_rng.hpp"
#include "files/atomic_file.hpp"
#include "files/data_paths.hpp"

namespace rca::cli {
namespace {

using nlohmann::json;

// The passphrase from --passphrase-file (its first line, as `openssl -passin file:` reads it),
// else typed on the terminal without echo; typed twice when it protects a new file.
std::optional<std::string> passphrase(const Args& args, bool confirm) {
    if (!args.passphrase_file.empty()) {
        try {
            const std::string text = files::read_file(args.passphrase_file);
            return text.substr(0, text.find_first_of("\r\n"));
        } catch (const std::exception& e) {
            std::cerr << "router-ca: " << e.what() << "\n";
            return std::nullopt;
        }
    }
    std::string typed = read_secret("passphrase for the root key: ");
    if (confirm && read_secret("the same passphrase again: ") != typed) {
        std::cerr << "router-ca: the two passphrases differ\n";
        return std::nullopt;
    }
    return typed;
}

int export_root(const Args& args) {
    const DataPaths paths{args.data_dir};
    if (args.out_file.empty()) {
        std::cerr << "router-ca root export: needs --out FILE\n";
        return kExitUsage;
    }
    if (files::exists(args.out_file)) {
        std::cerr << "router-ca root export: " << args.out_file
                  << " exists already; refusing to overwrite it\n";
        return kExitFailed;
    }
    if (!files::exists(paths.root_key())) {
        std::cerr << "router-ca root export: the root key is not in " << paths.ca_dir()
                  << " (exported already?)\n";
        return kExitFailed;
    }
    entropy::KernelRng rng;  // the salt and IV of the export (docs/security.md, entropy)
    std::string encrypted;
    try {
        const auto key = read_private_key(paths.root_key());
        if (key->subject_public_key() !=
            Botan::X509_Certificate(paths.root_cert()).subject_public_key_info()) {
            std::cerr << "router-ca root export: " << paths.root_key() << " does not belong to "
                      << paths.root_cert() << "\n";
            return kExitFailed;
        }
        const auto pass = passphrase(args, true);
        if (!pass) return kExitFailed;
        // The file may leave the house: the same minimum as a backup's passphrase.
        if (pass->size() < admin::kMinPassphraseLength) {
            std::cerr << "router-ca root export: the passphrase must have at least "
                      << admin::kMinPassphraseLength << " characters\n";
            return kExitFailed;
        }
        encrypted = encrypted_key_pem(*key, *pass, kExportKeyIterations, rng);
        // Read it back before anything is removed: the export is the only copy afterwards.
        const auto back = parse_private_key(encrypted, *pass, "the exported key");
        if (!back || back.value()->private_key_bits() != key->private_key_bits()) {
            std::cerr << "router-ca root export: the encrypted key does not read back\n";
            return kExitFailed;
        }
        files::write_new_atomic(args.out_file, encrypted, 0600);
    } catch (const std::exception& e) {
        std::cerr << "router-ca root export: " << e.what() << "\n";
        return kExitFailed;
    }
    // A running daemon forgets the key too; without one, the file is removed here.
    const auto answer = control_request(paths.control_socket(), R"({"cmd":"root-forget"})");
    try {
        if (!answer) {
            files::remove_durably(paths.root_key());
        } else {
            const json reply = json::parse(answer.value(), nullptr, false);
            if (!reply.is_object() || !reply.value("ok", false)) {
                std::cerr << "router-ca root export: the key was written to " << args.out_file
                          << ", but the daemon did not remove it: "
                          << (reply.is_object() ? reply.value("error", "") : answer.value())
                          << "\n";
                return kExitFailed;
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "router-ca root export: the key was written to " << args.out_file
                  << ", but cannot be removed from the router: " << e.what() << "\n";
        return kExitFailed;
    }
    std::printf(
        "the root key is in %s (PKCS#8, PBES2 with PBKDF2-SHA-256 and AES-256-CBC) and no longer "
        "on the router.\nKeep the file and its passphrase apart, offline; bring it back for "
        "'router-ca intermediate rotate --root-key %s'.\n",
        args.out_file.c_str(), args.out_file.c_str());
    return 0;
}

int rotate_intermediate(const Args& args) {
    json request{{"cmd", "intermediate-rotate"}};
    if (!args.root_key_file.empty()) {
        std::string pem;
        try {
            pem = files::read_file(args.root_key_file);
        } catch (const std::exception& e) {
            std::cerr << "router-ca intermediate rotate: " << e.what() << "\n";
            return kExitFailed;
        }
        const auto pass = is_encrypted_key_pem(pem) ? passphrase(args, false) : std::string();
        if (!pass) return kExitFailed;
        const auto key = parse_private_key(pem, *pass, args.root_key_file);
        if (!key) {
            std::cerr << "router-ca intermediate rotate: " << key.error().detail << "\n";
            return kExitFailed;
        }
        // The control socket is the admin's alone (mode 0600), like the data directory the key
        // was exported from.
        request["root_key"] = Botan::PKCS8::PEM_encode(*key.value());
    }
    const auto reply = call(args, request);
    if (!reply) return kExitFailed;
    if (args.json_output) {
        std::cout << reply->dump(2) << "\n";
        return 0;
    }
    std::printf(
        "new intermediate %s, valid until %s: new certificates and renewals come from it, and "
        "the router's own certificate moved to it. The previous intermediate stays for the "
        "certificates it signed.\n",
        reply->value("id", "").c_str(), reply->value("not_after", "").c_str());
    return 0;
}

}  // namespace

int run_root(const Args& args) {
    if (args.positional.size() != 1 || args.positional[0] != "export") {
        std::cerr << "usage: router-ca root export --out FILE [--passphrase-file P] "
                     "[--data-dir DIR]\n";
        return kExitUsage;
    }
    return export_root(args);
}

int run_intermediate(const Args& args) {
    if (args.positional.size() != 1 || args.positional[0] != "rotate") {
        std::cerr << "usage: router-ca intermediate rotate [--root-key FILE [--passphrase-file "
                     "P]] [--data-dir DIR] [--json]\n";
        return kExitUsage;
    }
    return rotate_intermediate(args);
}

}  // namespace rca::cli
