// Finding smserver.xml when no --config is given: the installed file first,
// then the example of the source checkout the program was built in, so that
// `build/src/smserver` and `build/tools/smsctl/smsctl` work from a fresh
// checkout with no options (the README's first command).
#include <unistd.h>

#include <filesystem>

#include "src/config/config.hpp"

namespace sms::config {
namespace fs = std::filesystem;

namespace {
bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}
}  // namespace

SearchPlaces default_search_places() {
  SearchPlaces places;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) places.exe_path = exe.string();
  const fs::path cwd = fs::current_path(ec);
  if (!ec) places.cwd = cwd.string();
  return places;
}

std::string default_path(const SearchPlaces& places) {
  if (!places.system_path.empty() && is_file(places.system_path)) return places.system_path;
  if (!places.exe_path.empty()) {
    // build/src/smserver -> build/src, build, <checkout>, ... up to /
    fs::path dir = fs::path(places.exe_path).parent_path();
    while (!dir.empty()) {
      const fs::path candidate = dir / "conf" / "smserver.xml";
      if (is_file(candidate)) return candidate.string();
      if (dir == dir.root_path() || dir.parent_path() == dir) break;
      dir = dir.parent_path();
    }
  }
  if (!places.cwd.empty()) {
    const fs::path candidate = fs::path(places.cwd) / "conf" / "smserver.xml";
    if (is_file(candidate)) return candidate.string();
  }
  return places.system_path;
}

std::string default_path() { return default_path(default_search_places()); }

}  // namespace sms::config
