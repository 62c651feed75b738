#include "denrol/reload_hook.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <vector>

extern char** environ;

namespace denrol {

HookOutcome run_hook(const std::string& command, const std::string& cert_dir) {
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "DEVICE_ENROL_DIR=", 17) != 0) env_text.emplace_back(*e);
    env_text.push_back("DEVICE_ENROL_DIR=" + cert_dir);
    std::vector<char*> envp;
    for (auto& s : env_text) envp.push_back(s.data());
    envp.push_back(nullptr);

    std::string sh = "/bin/sh", dash_c = "-c", cmd = command;
    char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
    pid_t pid = 0;
    // posix_spawn rather than system(): system() ignores SIGINT in the caller while the hook
    // runs, which would swallow a Ctrl-C meant for `run`.
    const int rc = ::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, argv, envp.data());
    if (rc != 0) return {false, std::string("could not start: ") + std::strerror(rc)};
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return {false, std::string("could not wait: ") + std::strerror(errno)};
    }
    if (WIFEXITED(status))
        return {WEXITSTATUS(status) == 0, "exit status " + std::to_string(WEXITSTATUS(status))};
    if (WIFSIGNALED(status)) return {false, "killed by signal " + std::to_string(WTERMSIG(status))};
    return {false, "ended abnormally"};
}

}  // namespace denrol
