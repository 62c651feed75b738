#pragma once
// Every path under the data directory, in one place (house style #11), so that operators know what
// to back up and tests know what to look at.
#include <string>

namespace rca {

/// The files router-ca keeps in its data directory.
struct DataPaths {
    std::string dir;
    std::string ca_dir() const { return dir + "/ca"; }
    /// Where a new CA is written before it is renamed to ca_dir() (ca_files.cpp).
    std::string ca_staging_dir() const { return dir + "/ca.new"; }
    std::string root_cert() const { return ca_dir() + "/root.pem"; }
    std::string root_key() const { return ca_dir() + "/root.key.pem"; }
    std::string intermediate_cert() const { return ca_dir() + "/intermediate.pem"; }
    std::string intermediate_key() const { return ca_dir() + "/intermediate.key.pem"; }
    /// Intermediates made by rotation, each as <key id>.pem and <key id>.key.pem; the first one
    /// stays at intermediate.pem until it expires.
    std::string intermediates_dir() const { return ca_dir() + "/intermediates"; }
    std::string intermediate_cert(const std::string& id) const {
        return intermediates_dir() + "/" + id + ".pem";
    }
    std::string intermediate_key(const std::string& id) const {
        return intermediates_dir() + "/" + id + ".key.pem";
    }
    std::string server_dir() const { return dir + "/server"; }
    std::string server_cert() const { return server_dir() + "/chain.pem"; }
    std::string server_key() const { return server_dir() + "/key.pem"; }
    /// The vendor HQ link (docs/hq.md): the registration token (0600; whoever holds it owns the
    /// home at HQ) and the router's public certificate for router.<home>.<ZONE>.
    std::string hq_dir() const { return dir + "/hq"; }
    std::string hq_token() const { return hq_dir() + "/token"; }
    /// The home HQ last registered ({"home", "zone"}), so that a restart with HQ down still
    /// answers the public names and serves the public certificate.
    std::string hq_home() const { return hq_dir() + "/home.json"; }
    std::string public_cert() const { return hq_dir() + "/router-chain.pem"; }
    std::string public_key() const { return hq_dir() + "/router-key.pem"; }
    /// A renewed key and chain, written in full before either replaces the ones above
    /// (RouterPublicCertificate's staged switch).
    std::string public_cert_staged() const { return public_cert() + ".new"; }
    std::string public_key_staged() const { return public_key() + ".new"; }
    std::string database() const { return dir + "/router-ca.db"; }
    std::string control_socket() const { return dir + "/control.sock"; }
};

}  // namespace rca
