#include "catalog/catalog.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <tuple>

#include "core/csv.h"
#include "core/error.h"

namespace exportctl::catalog {

namespace fs = std::filesystem;

std::string Chip::field(std::string_view name) const {
  for (const auto& [key, value] : fields)
    if (key == name) return value;
  return {};
}

namespace {

// Catalog column -> precision name of the metrics file.
constexpr std::pair<std::string_view, std::string_view> kPrecisionColumns[] = {
    {"fp64_tflops", "fp64"}, {"fp32_tflops", "fp32"}, {"tf32_tflops", "tf32"}, {"fp16_tflops", "fp16"},
    {"bf16_tflops", "bf16"}, {"fp8_tflops", "fp8"},   {"int8_tops", "int8"},   {"fp4_tflops", "fp4"}};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::optional<double> parse_figure(const std::string& cell, const std::string& where,
                                   const std::string& column) {
  const std::string t = trim(cell);
  if (t.empty()) return std::nullopt;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v) || v < 0)
    throw InputError(where, "column '" + column + "': '" + t + "' is not a non-negative number");
  return v;
}

}  // namespace

Catalog Catalog::load(const fs::path& dir, const rules::MetricDefinitions& metrics) {
  std::map<std::string, std::string> vendor_country;
  {
    const fs::path path = dir / "vendors.csv";
    std::ifstream in(path);
    if (!in) throw InputError(path.string(), "cannot open vendor file");
    CsvReader csv(in, path.string());
    const auto vendor = csv.require_column("vendor");
    const auto country = csv.require_column("designer_country");
    std::vector<std::string> row;
    while (csv.next(row)) vendor_country[row[vendor]] = row[country];
  }
  // PCIe-only cards carry no interconnect figure, only the link's name; the
  // rate of a standard PCIe link is derived from it (data/chips/interconnect_rates.csv).
  std::vector<std::tuple<std::string, double, std::string>> link_rates;
  {
    const fs::path rates_path = dir / "interconnect_rates.csv";
    std::ifstream rates_in(rates_path);
    if (!rates_in) throw InputError(rates_path.string(), "cannot open interconnect rates");
    CsvReader rates(rates_in, rates_path.string());
    const auto prefix = rates.require_column("interconnect_name_prefix");
    const auto rate = rates.require_column("io_bandwidth_gbps");
    const auto note = rates.require_column("note");
    std::vector<std::string> row;
    while (rates.next(row)) {
      const auto value =
          parse_figure(row[rate], location(rates_path.string(), rates.line()), "io_bandwidth_gbps");
      if (!value)
        throw InputError(location(rates_path.string(), rates.line()), "column 'io_bandwidth_gbps': empty");
      link_rates.emplace_back(row[prefix], *value, row[note]);
    }
  }
  const fs::path path = dir / "accelerators.csv";
  std::ifstream in(path);
  if (!in) throw InputError(path.string(), "cannot open chip catalog");
  CsvReader csv(in, path.string());
  const auto col = [&](std::string_view name) { return csv.require_column(name); };
  const auto id_col = col("id"), vendor_col = col("vendor"), market_col = col("market"),
             other_col = col("other_precisions"), die_col = col("die_area_mm2"), hbm_col = col("hbm_present"),
             mem_col = col("memory_bw_gbps"), io_col = col("interconnect_gbps"),
             link_col = col("interconnect_name"), sources_col = col("sources");
  std::vector<std::pair<std::size_t, std::string_view>> precision_cols;
  for (const auto& [column, precision] : kPrecisionColumns) {
    if (!metrics.find(precision))
      throw InputError(path.string(),
                       "precision '" + std::string(precision) + "' is not in the metrics file");
    precision_cols.emplace_back(col(column), precision);
  }

  Catalog catalog;
  std::vector<std::string> row;
  while (csv.next(row)) {
    const std::string where = location(path.string(), csv.line());
    Chip chip;
    chip.id = trim(row[id_col]);
    if (chip.id.empty()) throw InputError(where, "column 'id': empty");
    if (catalog.find(chip.id)) throw InputError(where, "column 'id': duplicate id '" + chip.id + "'");
    for (std::size_t i = 0; i < row.size(); ++i) chip.fields.emplace_back(csv.header()[i], row[i]);
    auto& spec = chip.spec;
    spec.name = chip.id;
    spec.kind = classify::ItemKind::IC;
    spec.vendor = trim(row[vendor_col]);
    if (auto it = vendor_country.find(spec.vendor); it != vendor_country.end())
      spec.designer_country = it->second;
    chip.market = trim(row[market_col]);
    if (chip.market == "datacenter") {
      spec.datacenter = true;
    } else if (chip.market == "consumer" || chip.market == "workstation") {
      spec.datacenter = false;
    } else {
      throw InputError(where, "column 'market': unknown market '" + chip.market + "'");
    }
    classify::ProcessingUnit unit;
    for (const auto& [column, precision] : precision_cols) {
      if (auto v = parse_figure(row[column], where, csv.header()[column]))
        unit.dense_tops.emplace_back(std::string(precision), *v);
    }
    const std::string other = trim(row[other_col]);
    std::size_t start = 0;
    while (start < other.size()) {
      std::size_t end = other.find(';', start);
      if (end == std::string::npos) end = other.size();
      const std::string item = trim(std::string_view(other).substr(start, end - start));
      start = end + 1;
      if (item.empty()) continue;
      const auto eq = item.find('=');
      if (eq == std::string::npos)
        throw InputError(where, "column 'other_precisions': '" + item + "' is not precision=value");
      const std::string precision = trim(std::string_view(item).substr(0, eq));
      if (!metrics.find(precision))
        throw InputError(where, "column 'other_precisions': unknown precision '" + precision + "'");
      if (auto v = parse_figure(item.substr(eq + 1), where, "other_precisions"))
        unit.dense_tops.emplace_back(precision, *v);
    }
    if (!unit.dense_tops.empty()) spec.units.push_back(std::move(unit));
    if (auto area = parse_figure(row[die_col], where, "die_area_mm2")) {
      if (*area <= 0) throw InputError(where, "column 'die_area_mm2': must be positive");
      spec.logic_dies.push_back({*area, true});
    }
    const std::string hbm = trim(row[hbm_col]);
    if (hbm == "yes")
      spec.hbm = true;
    else if (hbm == "no")
      spec.hbm = false;
    else if (!hbm.empty())
      throw InputError(where, "column 'hbm_present': expected yes, no or empty");
    spec.memory_bandwidth_gbps = parse_figure(row[mem_col], where, "memory_bw_gbps");
    spec.io_bandwidth_gbps = parse_figure(row[io_col], where, "interconnect_gbps");
    if (!spec.io_bandwidth_gbps) {
      const std::string link = trim(row[link_col]);
      for (const auto& [prefix, rate, note] : link_rates) {
        if (link.rfind(prefix, 0) != 0) continue;
        spec.io_bandwidth_gbps = rate;
        chip.derived.emplace_back("interconnect_gbps",
                                  "derived from '" + link + "': " + note + " (evidence D)");
        break;
      }
    }
    const std::string sources = row[sources_col];
    start = 0;
    while (start < sources.size()) {
      std::size_t end = sources.find(" | ", start);
      if (end == std::string::npos) end = sources.size();
      const std::string s = trim(std::string_view(sources).substr(start, end - start));
      if (!s.empty()) chip.sources.push_back(s);
      start = end + 3;
    }
    catalog.chips_.push_back(std::move(chip));
  }
  return catalog;
}

const Chip* Catalog::find(std::string_view id) const {
  for (const auto& c : chips_)
    if (c.id == id) return &c;
  return nullptr;
}

std::vector<std::string> Catalog::suggestions(std::string_view id) const {
  // Ids sharing the longest run of tokens with the query, best first.
  std::vector<std::pair<int, std::string>> scored;
  auto tokens = [](std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
      if (c == '-' || c == ' ' || c == '_') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  };
  const auto query = tokens(id);
  for (const auto& c : chips_) {
    int score = 0;
    for (const auto& t : tokens(c.id))
      for (const auto& q : query)
        if (t == q)
          score += 2;
        else if (t.find(q) != std::string::npos || q.find(t) != std::string::npos)
          score += 1;
    if (score > 0) scored.emplace_back(score, c.id);
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  return out;
}

fs::path default_catalog_dir() {
  return rules::default_data_dir() / "chips";
}

}  // namespace exportctl::catalog
