#pragma once
// Internal to impact analysis: running totals (summed per pipeline part, then
// merged) and exact money amounts.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "impact/impact.h"

namespace exportctl::impact {

// Money in units of 1/10,000 of a currency unit, summed exactly: a 10-million
// order book of eight-figure orders stays far inside 128 bits.
__extension__ typedef __int128 Amount;
inline constexpr std::int64_t kAmountScale = 10000;

// "1234.5" -> 12345000; false when not a plain non-negative decimal with at
// most four decimals (no sign, exponent or thousands separators).
bool parse_amount(std::string_view text, Amount& out);
// 12345000 -> "1234.50" (at least two decimals, at most four).
std::string format_amount(Amount amount);
double to_double(Amount amount);

struct Bucket {
  std::uint64_t orders = 0;
  std::uint64_t units = 0;
  std::map<std::string, Amount, std::less<>> revenue;  // by currency
  void add(std::uint64_t quantity, std::string_view currency, Amount amount);
  void merge(const Bucket& other);
};
using Buckets = std::array<Bucket, kChangeCount>;

struct BadRow {
  int line = 0;
  std::string error;
};

struct Totals {
  Buckets by_change;
  // Aggregates by dimension value: vendor, chip, customer, destination, quarter.
  static constexpr std::size_t kDimensions = 5;
  std::array<std::unordered_map<std::string, Buckets>, kDimensions> by;
  // Undetermined orders: the inputs each side waited for, and the orders per input.
  std::map<std::string, std::uint64_t> missing_before, missing_after;
  std::uint64_t skipped = 0;
  std::vector<BadRow> bad;  // the first few, in line order within a part
  void merge(Totals&& other, std::size_t keep_bad);
};

inline constexpr std::array<const char*, Totals::kDimensions> kDimensionNames = {
    "by_vendor", "by_chip", "by_customer", "by_destination", "by_quarter"};

// summary.json from the merged totals.
nlohmann::json summary_json(const Totals& totals, const Options& options, std::uint64_t orders,
                            const engine::Snapshot& before, const engine::Snapshot& after);

}  // namespace exportctl::impact
