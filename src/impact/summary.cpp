// summary.json: the merged totals by change kind and by dimension, the
// customers with the largest exposure, what undetermined orders wait for, and
// the scenarios and data versions each side was decided with.

#include <algorithm>

#include "impact/internal.h"

namespace exportctl::impact {

using nlohmann::json;

namespace {

json bucket_json(const Bucket& b) {
  json revenue = json::object();
  for (const auto& [currency, amount] : b.revenue) revenue[currency] = to_double(amount);
  return {{"orders", b.orders}, {"units", b.units}, {"revenue", revenue}};
}

// Every change kind, zeros included (the top-level view) or only the kinds
// that occur (per dimension value, to keep the file small).
json buckets_json(const Buckets& buckets, bool all_kinds) {
  json out = json::object();
  for (std::size_t c = 0; c < kChangeCount; ++c)
    if (all_kinds || buckets[c].orders > 0)
      out[std::string(to_string(static_cast<Change>(c)))] = bucket_json(buckets[c]);
  return out;
}

// Exposure: orders that need a license now and did not, or whose review
// policy became stricter.
Bucket exposure_of(const Buckets& buckets) {
  Bucket e;
  e.merge(buckets[static_cast<std::size_t>(Change::NewlyRequired)]);
  e.merge(buckets[static_cast<std::size_t>(Change::Tightened)]);
  return e;
}

// Ranks dimension values by exposure in `currency`, then by exposed orders,
// then by name (a stable order for equal values).
std::vector<const std::pair<const std::string, Buckets>*> ranked(
    const std::unordered_map<std::string, Buckets>& values, const std::string& currency) {
  std::vector<std::pair<const std::pair<const std::string, Buckets>*, std::pair<Amount, std::uint64_t>>>
      keyed;
  keyed.reserve(values.size());
  for (const auto& entry : values) {
    const Bucket e = exposure_of(entry.second);
    const auto it = e.revenue.find(currency);
    keyed.push_back({&entry, {it == e.revenue.end() ? 0 : it->second, e.orders}});
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first->first < b.first->first;
  });
  std::vector<const std::pair<const std::string, Buckets>*> out;
  out.reserve(keyed.size());
  for (const auto& k : keyed) out.push_back(k.first);
  return out;
}

json scenarios_json(const engine::Snapshot& after) {
  json out = json::array();
  for (const auto& v : after.rules().versions()) {
    if (!v.hypothetical) continue;
    json s{{"id", v.id},
           {"kind", v.kind},
           {"title", v.title},
           {"file", v.file},
           {"effective_from", v.effective_from.str()}};
    if (v.effective_to) s["effective_to"] = v.effective_to->str();
    if (!v.lifts.empty()) s["lifts"] = v.lifts;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

json summary_json(const Totals& totals, const Options& options, std::uint64_t orders,
                  const engine::Snapshot& before, const engine::Snapshot& after) {
  // The currency most of the book is priced in ranks customers; amounts in
  // other currencies are reported, never converted.
  std::map<std::string, Amount> by_currency;
  for (const auto& b : totals.by_change)
    for (const auto& [currency, amount] : b.revenue) by_currency[currency] += amount;
  std::string primary;
  Amount largest = -1;
  for (const auto& [currency, amount] : by_currency)
    if (amount > largest) {
      largest = amount;
      primary = currency;
    }

  json summary{{"before", options.before.str()},
               {"after", options.after.str()},
               {"scenarios", scenarios_json(after)},
               {"scenario_effects", after.rules().scenario_effects()},
               {"versions", {{"before", before.versions_json()}, {"after", after.versions_json()}}},
               {"orders", orders},
               {"skipped_rows", totals.skipped}};
  json bad = json::array();
  for (const auto& b : totals.bad) bad.push_back({{"line", b.line}, {"error", b.error}});
  summary["bad_rows"] = bad;
  json currencies = json::array();
  for (const auto& [currency, amount] : by_currency) currencies.push_back(currency);
  summary["currencies"] = currencies;
  summary["ranking_currency"] = primary.empty() ? json(nullptr) : json(primary);
  summary["by_change"] = buckets_json(totals.by_change, true);
  summary["exposure"] = bucket_json(exposure_of(totals.by_change));
  summary["undetermined_missing"] = {{"before", totals.missing_before}, {"after", totals.missing_after}};

  for (std::size_t d = 0; d < Totals::kDimensions; ++d) {
    const auto order = ranked(totals.by[d], primary);
    const bool customers = std::string_view(kDimensionNames[d]) == "by_customer";
    const std::size_t limit = customers ? options.listed_customers : order.size();
    json values = json::object();
    for (std::size_t i = 0; i < order.size() && i < limit; ++i)
      values[order[i]->first] = buckets_json(order[i]->second, false);
    summary[kDimensionNames[d]] = values;
    if (!customers) continue;
    summary["customers"] = order.size();
    summary["by_customer_truncated"] = order.size() > limit;
    json top = json::array();
    for (std::size_t i = 0; i < order.size() && top.size() < options.top_customers; ++i) {
      const Bucket e = exposure_of(order[i]->second);
      if (e.orders == 0) break;  // ranked by exposure: the rest have none
      top.push_back({{"customer", order[i]->first},
                     {"exposure", bucket_json(e)},
                     {"by_change", buckets_json(order[i]->second, false)}});
    }
    summary["top_customers"] = top;
  }
  return summary;
}

}  // namespace exportctl::impact
