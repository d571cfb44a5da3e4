#pragma once
// Who runs smsctl: the name written to outbox.submitted_by, approved_by and
// the audit log.
//
// The OS user of the effective uid. When smsctl runs as root (euid 0) and
// SUDO_USER is set, the user who ran sudo: sudo sets that variable, and only
// root can have been started that way, so it is trusted only then (any other
// user could set SUDO_USER to anything).
#include <functional>
#include <string>

namespace smsctl {

// The rule, with the environment passed in (for tests). user_name(uid)
// returns "" for a uid without a passwd entry; the actor is then "uid:N".
// A SUDO_USER that is empty, longer than 64 bytes or holds control
// characters or spaces is ignored.
std::string actor_for(unsigned euid, const char* sudo_user, const std::function<std::string(unsigned)>& user_name);

// actor_for(geteuid(), getenv("SUDO_USER"), the passwd name by getpwuid_r).
std::string current_actor();

}  // namespace smsctl
