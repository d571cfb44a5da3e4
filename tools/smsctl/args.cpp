#include "tools/smsctl/args.hpp"

#include <charconv>

namespace smsctl {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& value_options,
           const std::set<std::string>& flags) {
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a.size() < 3 || a.compare(0, 2, "--") != 0) {
      if (a == "--") {
        options_done = true;
        continue;
      }
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (value_options.count(name)) {
      if (inline_value) {
        values_.emplace(name, *inline_value);
      } else if (i + 1 < argv.size()) {
        values_.emplace(name, argv[++i]);
      } else {
        throw UsageError("option --" + name + " needs a value");
      }
    } else if (flags.count(name)) {
      if (inline_value) throw UsageError("option --" + name + " takes no value (got '" + *inline_value + "')");
      flags_.insert(name);
    } else {
      throw UsageError("unknown option --" + name);
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto range = values_.equal_range(name);
  if (range.first == range.second) return std::nullopt;
  return std::prev(range.second)->second;  // the last one wins
}

std::vector<std::string> Args::all(const std::string& name) const {
  std::vector<std::string> out;
  auto range = values_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
  auto v = get(name);
  return v ? *v : fallback;
}

std::optional<long long> Args::get_int(const std::string& name, long long min, long long max) const {
  auto v = get(name);
  if (!v) return std::nullopt;
  long long out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size())
    throw UsageError("option --" + name + ": '" + *v + "' is not a whole number");
  if (out < min || out > max)
    throw UsageError("option --" + name + ": " + *v + " is out of range " + std::to_string(min) + ".." +
                     std::to_string(max));
  return out;
}

}  // namespace smsctl
