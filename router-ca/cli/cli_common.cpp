#include "cli/cli_common.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "daemon/control_socket.hpp"
#include "files/data_paths.hpp"

namespace rca::cli {

using nlohmann::json;

bool parse_common(const std::vector<std::string>& words, Args& args, std::string& error) {
    for (size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        auto value = [&](const char* flag) -> const std::string* {
            if (i + 1 >= words.size()) {
                error = std::string(flag) + " needs a value";
                return nullptr;
            }
            return &words[++i];
        };
        if (w == "--data-dir") {
            const auto* v = value("--data-dir");
            if (!v) return false;
            args.data_dir = *v;
        } else if (w == "--json") {
            args.json_output = true;
        } else if (w == "--force") {
            args.force = true;
        } else if (w == "--in" || w == "--out" || w == "--passphrase-file" || w == "--root-key" ||
                   w == "--reason") {
            const auto* v = value(w.c_str());
            if (!v) return false;
            (w == "--in"                ? args.in_file
             : w == "--out"             ? args.out_file
             : w == "--passphrase-file" ? args.passphrase_file
             : w == "--root-key"        ? args.root_key_file
                                        : args.reason) = *v;
        } else if (w == "--seconds") {
            const auto* v = value("--seconds");
            if (!v) return false;
            try {
                args.seconds = std::stol(*v);
            } catch (const std::exception&) {
                error = "--seconds needs a whole number";
                return false;
            }
        } else if (!w.empty() && w[0] == '-') {
            error = "unknown option " + w;
            return false;
        } else {
            args.positional.push_back(w);
        }
    }
    return true;
}

std::string read_secret(const char* prompt) {
    const bool tty = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (tty) {
        std::cerr << prompt << std::flush;
        ::tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::optional<json> call(const Args& args, const json& command) {
    const rca::DataPaths paths{args.data_dir};
    const auto answer = rca::control_request(paths.control_socket(), command.dump());
    if (!answer) {
        std::cerr << "router-ca: " << answer.error().detail << "\n";
        return std::nullopt;
    }
    json reply = json::parse(answer.value(), nullptr, false);
    if (reply.is_discarded() || !reply.is_object()) {
        std::cerr << "router-ca: the daemon sent an unreadable answer\n";
        return std::nullopt;
    }
    if (!reply.value("ok", false)) {
        std::cerr << "router-ca: " << reply.value("error", std::string("failed")) << "\n";
        return std::nullopt;
    }
    return reply;
}

}  // namespace rca::cli
