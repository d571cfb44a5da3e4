#pragma once
// runOnReceive: starts the configured program for each stored message with
// posix_spawn (no shell: argv is just [program]; message fields travel only in
// environment variables, so no text can ever become a command). Children are
// reaped by polling waitpid(pid, WNOHANG) from the owner's timer, which keeps
// SIGCHLD free for a program that embeds the library.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace sms::dispatch {

class Spawner {
 public:
  // Starts program with the process environment plus `extra` ("NAME=value").
  // Returns the pid, or -1 with *error set (never throws).
  pid_t spawn(const std::string& program, const std::vector<std::string>& extra, std::string* error);
  // Reaps finished children (non-blocking); logs non-zero exits; kills (SIGKILL)
  // children running longer than timeout_s (0 = no limit). Returns how many still run.
  std::size_t reap(int timeout_s = 0);
  std::size_t running() const { return children_.size(); }

 private:
  struct Child {
    pid_t pid;
    std::string what;
    std::chrono::steady_clock::time_point started;
    bool killed = false;
  };
  std::vector<Child> children_;
};

}  // namespace sms::dispatch
