#include "src/dispatch/spawner.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <csignal>

#include <cstring>
#include <fmt/format.h>

#include "modem/common/log.hpp"

extern char** environ;

namespace sms::dispatch {

pid_t Spawner::spawn(const std::string& program, const std::vector<std::string>& extra, std::string* error) {
  std::vector<std::string> env;
  // Our variables replace any inherited ones of the same name.
  for (char** e = environ; e && *e; ++e) {
    if (std::strncmp(*e, "SMS_", 4) == 0) continue;
    env.emplace_back(*e);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  std::vector<char*> envp;
  for (auto& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string prog = program;
  char* argv[] = {prog.data(), nullptr};

  pid_t pid = -1;
  int rc = posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv, envp.data());
  if (rc != 0) {
    if (error) *error = fmt::format("cannot run {}: {}", program, std::strerror(rc));
    return -1;
  }
  children_.push_back({pid, program, std::chrono::steady_clock::now(), false});
  return pid;
}

std::size_t Spawner::reap(int timeout_s) {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = children_.begin(); it != children_.end();) {
    int status = 0;
    pid_t r = waitpid(it->pid, &status, WNOHANG);
    if (r == 0) {
      if (timeout_s > 0 && !it->killed && now - it->started > std::chrono::seconds(timeout_s)) {
        log::warn("runOnReceive", "{} (pid {}) still runs after {} s; killing it", it->what, it->pid, timeout_s);
        ::kill(it->pid, SIGKILL);
        it->killed = true;
      }
      ++it;
      continue;
    }
    if (r == it->pid) {
      if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        log::warn("runOnReceive", "{} (pid {}) exited with status {}", it->what, it->pid, WEXITSTATUS(status));
      else if (WIFSIGNALED(status) && !it->killed)
        log::warn("runOnReceive", "{} (pid {}) was killed by signal {}", it->what, it->pid, WTERMSIG(status));
    }
    it = children_.erase(it);  // reaped, or not our child any more (ECHILD)
  }
  return children_.size();
}

}  // namespace sms::dispatch
