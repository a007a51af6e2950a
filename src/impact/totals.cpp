// Exact money amounts and the running totals of impact analysis.

#include <algorithm>
#include <string>

#include "impact/internal.h"

namespace exportctl::impact {

// ---------------------------------------------------------------- amounts

bool parse_amount(std::string_view text, Amount& out) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 15 || fraction.size() > 4) return false;
  if (dot != std::string_view::npos && fraction.empty()) return false;
  Amount value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  Amount frac = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (c < '0' || c > '9') return false;
    frac = frac * 10 + (c - '0');
  }
  out = value * kAmountScale + frac;
  return true;
}

std::string format_amount(Amount amount) {
  const bool negative = amount < 0;
  if (negative) amount = -amount;
  Amount whole = amount / kAmountScale;
  auto frac = static_cast<int>(amount % kAmountScale);
  std::string digits;
  if (whole <= static_cast<Amount>(UINT64_MAX)) {  // 64-bit division: an order's amount, nearly always
    digits = std::to_string(static_cast<std::uint64_t>(whole));
  } else {
    do {
      digits.push_back(static_cast<char>('0' + static_cast<int>(whole % 10)));
      whole /= 10;
    } while (whole > 0);
    std::reverse(digits.begin(), digits.end());
  }
  std::string decimals = {static_cast<char>('0' + frac / 1000), static_cast<char>('0' + frac / 100 % 10),
                          static_cast<char>('0' + frac / 10 % 10), static_cast<char>('0' + frac % 10)};
  while (decimals.size() > 2 && decimals.back() == '0') decimals.pop_back();
  return (negative ? "-" : "") + digits + "." + decimals;
}

double to_double(Amount amount) {
  return static_cast<double>(amount) / static_cast<double>(kAmountScale);
}

void Bucket::add(std::uint64_t quantity, std::string_view currency, Amount amount) {
  ++orders;
  units += quantity;
  auto it = revenue.find(currency);
  if (it == revenue.end()) it = revenue.emplace(std::string(currency), 0).first;
  it->second += amount;
}

void Bucket::merge(const Bucket& other) {
  orders += other.orders;
  units += other.units;
  for (const auto& [currency, amount] : other.revenue) revenue[currency] += amount;
}

void Totals::merge(Totals&& other, std::size_t keep_bad) {
  for (std::size_t c = 0; c < kChangeCount; ++c) by_change[c].merge(other.by_change[c]);
  for (std::size_t d = 0; d < kDimensions; ++d)
    for (auto& [key, buckets] : other.by[d]) {
      auto& mine = by[d][key];
      for (std::size_t c = 0; c < kChangeCount; ++c) mine[c].merge(buckets[c]);
    }
  for (const auto& [k, n] : other.missing_before) missing_before[k] += n;
  for (const auto& [k, n] : other.missing_after) missing_after[k] += n;
  skipped += other.skipped;
  bad.insert(bad.end(), other.bad.begin(), other.bad.end());
  std::sort(bad.begin(), bad.end(), [](const BadRow& a, const BadRow& b) { return a.line < b.line; });
  if (bad.size() > keep_bad) bad.resize(keep_bad);
}

}  // namespace exportctl::impact
