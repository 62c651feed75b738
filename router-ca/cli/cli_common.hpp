#pragma once
// What every admin subcommand of the CLI shares: its options, and the call to the running daemon
// over the control socket.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace rca::cli {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

/// The options admin subcommands take.
struct Args {
    std::string data_dir = "router-ca-data";
    bool json_output = false;
    long seconds = 0;
    std::string in_file;
    bool force = false;
    std::string out_file;         ///< --out, where `root export` writes
    std::string passphrase_file;  ///< --passphrase-file, instead of asking on the terminal
    std::string root_key_file;    ///< --root-key, the exported root key for a rotation
    std::string reason;           ///< --reason, why `revoke` revokes (RFC 5280 5.3.1's name)
    std::vector<std::string> positional;
};

/// Parses the words after the subcommand into args; false with error set on a bad option.
bool parse_common(const std::vector<std::string>& words, Args& args, std::string& error);

/// One line from stdin without its line ending; echo is off while a terminal types it.
std::string read_secret(const char* prompt);

/// Sends a command to the running daemon; prints the error and returns nullopt on failure.
std::optional<nlohmann::json> call(const Args& args, const nlohmann::json& command);

}  // namespace rca::cli
