#pragma once
// Command-line parsing shared by every smsctl subcommand.
//
// Accepts "--name value", "--name=value" and boolean "--flag". An option that
// takes a value takes the next word even if it starts with '-', so relative
// times work as "--from -2h" as well as "--from=-2h". "--" ends options.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace smsctl {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // value_options: names (without "--") that take a value; flags: boolean names.
  // Repeated value options keep every value (see all()).
  Args(const std::vector<std::string>& argv, const std::set<std::string>& value_options,
       const std::set<std::string>& flags);

  bool flag(const std::string& name) const { return flags_.count(name) != 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  // Integer option; throws UsageError naming the option and the value.
  std::optional<long long> get_int(const std::string& name, long long min, long long max) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

}  // namespace smsctl
