#pragma once
// Command-line options from one table (house style #9): each row holds an option's flag, the
// name of its value, its default and its help, and applies a value to a config struct. The same
// table parses the arguments and renders --help. router-ca serve and hq serve both use it.
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace rca {

/// One option of a Config.
template <class Config>
struct OptionSpec {
    const char* flag;          ///< "--listen"
    const char* value_name;    ///< "HOST:PORT"; empty for a switch
    const char* default_text;  ///< shown in --help; empty for none
    const char* help;
    /// Applies the value; returns what is wrong with it, or nullopt.
    std::function<std::optional<std::string>(Config&, const std::string&)> apply;
    /// The value may hold a password (a database URI): errors name the flag but not the value.
    bool secret = false;
};

/// The decimal integer text in [low, high]; nullopt for anything else (signs, spaces, overflow).
inline std::optional<int> parse_int_in(const std::string& text, int low, int high) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9') return std::nullopt;
    const int v = std::stoi(text);
    if (v < low || v > high) return std::nullopt;
    return v;
}

/// Applies args ("--flag value" or "--flag=value") to config through table; returns the first
/// error as "<flag> <value>: <problem>" ("<flag>: <problem>" for a secret one) (or an unknown or valueless flag), nullopt when all apply.
template <class Config>
std::optional<std::string> apply_options(const std::vector<OptionSpec<Config>>& table,
                                         const std::vector<std::string>& args, Config& config) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const auto eq = arg.find('=');
        const std::string flag = arg.substr(0, eq);
        const OptionSpec<Config>* spec = nullptr;
        for (const auto& s : table)
            if (flag == s.flag) spec = &s;
        if (!spec) return "unknown option " + arg + " (see --help)";
        std::string value;
        if (*spec->value_name) {
            if (eq != std::string::npos)
                value = arg.substr(eq + 1);
            else if (i + 1 < args.size())
                value = args[++i];
            else
                return flag + " needs a value " + spec->value_name;
        }
        if (auto problem = spec->apply(config, value))
            return flag + (spec->secret ? std::string() : " " + value) + ": " + *problem;
    }
    return std::nullopt;
}

/// The table as help text: one line per option, its default in brackets.
template <class Config>
std::string options_help(const std::vector<OptionSpec<Config>>& table) {
    std::ostringstream out;
    for (const auto& s : table) {
        std::string left = std::string("  ") + s.flag;
        if (*s.value_name) left += std::string(" ") + s.value_name;
        out << left;
        out << std::string(left.size() < 28 ? 28 - left.size() : 1, ' ') << s.help;
        if (*s.default_text) out << " [" << s.default_text << "]";
        out << "\n";
    }
    return out.str();
}

}  // namespace rca
