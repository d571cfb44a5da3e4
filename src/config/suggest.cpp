#include "src/config/suggest.hpp"

#include <algorithm>

namespace sms::config {
namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

int name_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance (Damerau-Levenshtein without
  // repeated edits of one substring), case-insensitive.
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string closest_name(std::string_view name, const std::vector<std::string_view>& known) {
  const int len = static_cast<int>(name.size());
  const int limit = len < 5 ? 1 : std::max(2, len / 3);
  std::string_view best;
  int best_d = limit + 1;
  for (std::string_view k : known) {
    const int dist = name_distance(name, k);
    if (dist < best_d) {
      best_d = dist;
      best = k;
    }
  }
  return std::string(best);
}

}  // namespace sms::config
