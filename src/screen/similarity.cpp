#include "screen/similarity.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace exportctl::screen {

int levenshtein_dp(std::string_view a, std::string_view b, int max) {
  // Optimal string alignment: an adjacent transposition (Asasd/Assad) is one
  // edit, as typists make it.
  if (a.size() > b.size()) std::swap(a, b);
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  if (lb - la > max) return max + 1;
  const auto w = static_cast<std::size_t>(la) + 1;
  // Per-thread rows: this runs millions of times in a batch.
  thread_local std::vector<int> prev2, prev, cur;
  prev2.assign(w, 0);
  prev.assign(w, 0);
  cur.assign(w, 0);
  for (int i = 0; i <= la; ++i) prev[static_cast<std::size_t>(i)] = i;
  for (int j = 1; j <= lb; ++j) {
    cur[0] = j;
    int row_min = cur[0];
    const auto uj = static_cast<std::size_t>(j);
    for (int i = 1; i <= la; ++i) {
      const auto ui = static_cast<std::size_t>(i);
      const int cost = a[ui - 1] == b[uj - 1] ? 0 : 1;
      cur[ui] = std::min({prev[ui] + 1, cur[ui - 1] + 1, prev[ui - 1] + cost});
      if (i > 1 && j > 1 && a[ui - 1] == b[uj - 2] && a[ui - 2] == b[uj - 1])
        cur[ui] = std::min(cur[ui], prev2[ui - 2] + 1);
      row_min = std::min(row_min, cur[ui]);
    }
    if (row_min > max) return max + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[static_cast<std::size_t>(la)], max + 1);
}

namespace {

// Hyyrö's bit-parallel optimal string alignment distance (2003), the kernel
// rapidfuzz uses: one machine word per column for patterns up to 64 bytes.
int osa_bit_parallel(std::string_view a, std::string_view b) {
  thread_local std::uint64_t peq[256] = {};
  for (std::size_t i = 0; i < a.size(); ++i) peq[static_cast<unsigned char>(a[i])] |= std::uint64_t{1} << i;
  std::uint64_t vp = ~std::uint64_t{0}, vn = 0, d0 = 0, pm_old = 0;
  const std::uint64_t last = std::uint64_t{1} << (a.size() - 1);
  int dist = static_cast<int>(a.size());
  for (char ch : b) {
    const std::uint64_t pm = peq[static_cast<unsigned char>(ch)];
    const std::uint64_t tr = (((~d0) & pm) << 1) & pm_old;
    d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
    std::uint64_t hp = vn | ~(d0 | vp);
    std::uint64_t hn = d0 & vp;
    dist += (hp & last) ? 1 : 0;
    dist -= (hn & last) ? 1 : 0;
    hp = (hp << 1) | 1;
    hn = hn << 1;
    vp = hn | ~(d0 | hp);
    vn = hp & d0;
    pm_old = pm;
  }
  for (char ch : a) peq[static_cast<unsigned char>(ch)] = 0;
  return dist;
}

}  // namespace

int levenshtein(std::string_view a, std::string_view b, int max) {
  if (a.size() > b.size()) std::swap(a, b);
  if (static_cast<int>(b.size() - a.size()) > max) return max + 1;
  if (a.empty()) return std::min(static_cast<int>(b.size()), max + 1);
  if (a.size() <= 64) return std::min(osa_bit_parallel(a, b), max + 1);
  return levenshtein_dp(a, b, max);
}

double jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const std::size_t window = std::max<std::size_t>(1, std::max(a.size(), b.size()) / 2) - 1;
  thread_local std::vector<char> a_match, b_match;
  a_match.assign(a.size(), 0);
  b_match.assign(b.size(), 0);
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(b.size(), i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (b_match[j] || a[i] != b[j]) continue;
      a_match[i] = b_match[j] = 1;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  for (std::size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_match[i]) continue;
    while (!b_match[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  return (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
          (m - static_cast<double>(transpositions) / 2.0) / m) /
         3.0;
}

double jaro_winkler(std::string_view a, std::string_view b, double prefix_scale) {
  const double j = jaro(a, b);
  if (j < 0.7) return j;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return j + static_cast<double>(prefix) * prefix_scale * (1.0 - j);
}

int edit_budget(std::size_t length) {
  if (length <= 3) return 0;
  if (length <= 5) return 1;
  if (length <= 9) return 2;
  return 3;
}

double token_similarity(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  const std::size_t shorter = std::min(a.size(), b.size());
  const std::size_t longer = std::max(a.size(), b.size());
  const int budget = edit_budget(shorter);
  if (budget == 0) return 0.0;
  const int d = levenshtein(a, b, budget);
  if (d > budget) return 0.0;
  const double ratio = 1.0 - static_cast<double>(d) / static_cast<double>(longer);
  // A differing first letter usually means a different word (Bowne/Downe).
  const double first = a.front() == b.front() ? 1.0 : 0.85;
  return first * (0.5 * ratio + 0.5 * jaro_winkler(a, b)) * 0.97;
}

}  // namespace exportctl::screen
