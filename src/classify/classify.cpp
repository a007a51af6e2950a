#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "classify/classify.h"
#include "core/error.h"

namespace exportctl::classify {

using rules::Tri;

namespace {

std::optional<int> bits_for(const rules::PrecisionDef& def, const MetricOptions& options) {
  if (def.readings.empty() || options.tf32_reading.empty()) return def.bits;
  const auto it = def.readings.find(options.tf32_reading);
  return it == def.readings.end() ? def.bits : it->second;
}

}  // namespace

Metrics compute_metrics(const ItemSpec& spec, const rules::MetricDefinitions& defs,
                        const MetricOptions& options, bool with_terms) {
  Metrics m;
  m.tf32_reading = options.tf32_reading;
  if (const auto* tf32 = defs.find("tf32"); tf32 && m.tf32_reading.empty())
    m.tf32_reading = tf32->default_reading;
  double total = 0;
  bool any = false;
  for (std::size_t u = 0; u < spec.units.size(); ++u) {
    double best = 0;
    std::string basis;
    bool unit_any = false;
    for (const auto& [precision, tops] : spec.units[u].dense_tops) {
      const rules::PrecisionDef* def = defs.find(precision);
      const std::optional<int> bits = def ? bits_for(*def, options) : std::nullopt;
      const double product = bits ? tops * *bits : 0;
      if (with_terms) m.terms.push_back({u, precision, tops, bits, product});
      if (!bits) continue;
      unit_any = true;
      if (product > best + 1e-9) {
        best = product;
        basis = precision;
      } else if (std::fabs(product - best) <= 1e-9 && !basis.empty()) {
        basis += "/" + precision;
      }
    }
    if (unit_any) {
      any = true;
      total += best;
      if (spec.units.size() == 1) m.tpp_basis = basis;
    }
  }
  if (spec.units.size() > 1) m.tpp_basis = "sum over " + std::to_string(spec.units.size()) + " units";
  if (any) m.tpp = total;
  if (!spec.has_processing_units) m.tpp = 0.0;
  for (const auto& die : spec.logic_dies) {
    if (die.nonplanar) {
      m.pd_area_mm2 += die.area_mm2;
      ++m.dies_counted;
    } else {
      ++m.dies_excluded;
    }
  }
  if (m.tpp && m.pd_area_mm2 > 0) m.pd = *m.tpp / m.pd_area_mm2;
  if (spec.memory_bandwidth_gbps && spec.memory_package_area_mm2 && *spec.memory_package_area_mm2 > 0)
    m.mbd = *spec.memory_bandwidth_gbps / *spec.memory_package_area_mm2;
  return m;
}

void fill_inputs(const ItemSpec& spec, const Metrics& m, std::span<rules::Value> in) {
  using rules::Value;
  in[rules::kTpp] = Value::maybe(m.tpp);
  in[rules::kPd] = Value::maybe(m.pd);
  in[rules::kIoBandwidth] = Value::maybe(spec.io_bandwidth_gbps);
  in[rules::kMemoryBandwidth] = Value::maybe(spec.memory_bandwidth_gbps);
  in[rules::kMemoryBandwidthDensity] = Value::maybe(m.mbd);
  in[rules::kDatacenter] = Value::maybe(spec.datacenter);
  in[rules::kHbm] = Value::maybe(spec.hbm);
  in[rules::kHasCompute] = Value::of(spec.has_processing_units);
  in[rules::kKind] = Value::of(std::string_view(spec.kind == ItemKind::IC ? "ic" : "computer"));
  in[rules::kVendor] = spec.vendor.empty() ? Value::unknown() : Value::of(std::string_view(spec.vendor));
  in[rules::kDesignerCountry] =
      spec.designer_country.empty() ? Value::unknown() : Value::of(std::string_view(spec.designer_country));
  in[rules::kItem] = Value::of(std::string_view(spec.name));
  in[rules::kOtherEccn] =
      spec.other_eccn.empty() ? Value::unknown() : Value::of(std::string_view(spec.other_eccn));
}

Classifier::Classifier(const rules::RuleSet& rules, MetricOptions options)
    : rules_(rules), options_(std::move(options)) {
  if (!options_.tf32_reading.empty()) {
    const auto* tf32 = rules.metrics().find("tf32");
    if (!tf32 || !tf32->readings.count(options_.tf32_reading)) {
      std::string known;
      if (tf32)
        for (const auto& [name, bits] : tf32->readings) known += (known.empty() ? "" : ", ") + name;
      throw InputError("tf32", "unknown reading '" + options_.tf32_reading + "' (known: " + known + ")");
    }
  }
  // Precompute which versions apply in each interval between boundaries.
  std::vector<Date> cuts = rules.boundaries("classification");
  intervals_.push_back({Date::from_days(-1000000), {}});
  for (Date d : cuts) intervals_.push_back({d, rules.in_force(d, "classification")});
}

const std::vector<const rules::RuleVersion*>& Classifier::versions_on(Date date) const {
  auto it = std::upper_bound(intervals_.begin(), intervals_.end(), date,
                             [](Date d, const Interval& i) { return d < i.from; });
  return std::prev(it)->versions;
}

std::size_t Classifier::period_index(Date date) const {
  auto it = std::upper_bound(intervals_.begin(), intervals_.end(), date,
                             [](Date d, const Interval& i) { return d < i.from; });
  return static_cast<std::size_t>(std::prev(it) - intervals_.begin());
}

std::vector<Date> Classifier::timeline_dates(Date from, Date to) const {
  std::vector<Date> dates{from};
  for (const auto& i : intervals_)
    if (i.from > from && i.from <= to) dates.push_back(i.from);
  return dates;
}

namespace {

int rank_of(const rules::Provision& p) {
  const std::string r = p.outcome_or("rank", "0");
  return std::atoi(r.c_str());
}

void note_missing(const std::vector<rules::Comparison>& comparisons, const rules::RuleVersion& version,
                  const rules::Provision& provision, Classification& result) {
  for (const auto& c : comparisons) {
    if (c.result != Tri::Unknown || c.left_value.kind != rules::Value::Kind::Unknown) continue;
    if (std::find(result.missing_inputs.begin(), result.missing_inputs.end(), c.left) ==
        result.missing_inputs.end())
      result.missing_inputs.push_back(c.left);
    result.needed.push_back({c.left, version.id, provision.id, c.test});
  }
}

}  // namespace

Classification Classifier::classify(const ItemSpec& spec, Date date, bool with_trace) const {
  Classification result;
  result.item = spec.name;
  result.date = date;
  result.metrics = compute_metrics(spec, rules_.metrics(), options_, with_trace);
  rules::Value inputs[rules::kItemInputCount];
  fill_inputs(spec, result.metrics, inputs);
  const bool is_computer = spec.kind == ItemKind::Computer;

  const auto& versions = versions_on(date);
  if (with_trace) result.rules_in_force = versions;
  int open_rank = 0;  // highest rank an undetermined version could still reach
  std::vector<rules::Comparison> scratch;

  for (const rules::RuleVersion* version : versions) {
    // Exclusions first: any true exclusion takes the item out of this version.
    Tri excluded = Tri::False;
    const rules::Provision* excluding = nullptr;
    const rules::Provision* exclusion_open = nullptr;  // the exclusion an unknown input left open
    std::vector<rules::Comparison> exclusion_unknowns;
    for (const auto& ex : version->section("exclusions")) {
      Tri r;
      if (with_trace) {
        Step step{version, &ex, "exclusion", Tri::Unknown, {}, {}};
        r = ex.when.evaluate(inputs, nullptr, step.comparisons);
        step.result = r;
        if (r == Tri::Unknown)
          exclusion_unknowns.insert(exclusion_unknowns.end(), step.comparisons.begin(),
                                    step.comparisons.end());
        result.trace.push_back(std::move(step));
      } else {
        r = ex.when.evaluate(inputs, nullptr);
      }
      if (r == Tri::True) {
        excluded = Tri::True;
        excluding = &ex;
        break;
      }
      if (r == Tri::Unknown) {
        excluded = Tri::Unknown;
        exclusion_open = &ex;
        if (!with_trace) {
          scratch.clear();
          ex.when.evaluate(inputs, nullptr, scratch);
          exclusion_unknowns.insert(exclusion_unknowns.end(), scratch.begin(), scratch.end());
        }
      }
    }
    if (excluded == Tri::True) {
      if (result.excluded_by == nullptr) result.excluded_by = excluding;
      continue;
    }
    for (const auto& paragraph : version->section("paragraphs")) {
      if (is_computer && paragraph.outcome_or("computer").empty()) {
        if (with_trace)
          result.trace.push_back({version,
                                  &paragraph,
                                  "paragraph",
                                  Tri::False,
                                  {},
                                  "applies to integrated circuits only, not to computers"});
        continue;
      }
      Tri r;
      std::vector<rules::Comparison> comparisons;
      if (with_trace) {
        r = paragraph.when.evaluate(inputs, nullptr, comparisons);
      } else {
        r = paragraph.when.evaluate(inputs, nullptr);
      }
      if (r == Tri::Unknown && !with_trace) paragraph.when.evaluate(inputs, nullptr, comparisons);
      if (with_trace) result.trace.push_back({version, &paragraph, "paragraph", r, comparisons, {}});
      if (r == Tri::False) continue;
      const int rank = rank_of(paragraph);
      if (r == Tri::Unknown || excluded == Tri::Unknown) {
        open_rank = std::max(open_rank, rank);
        if (r == Tri::Unknown) note_missing(comparisons, *version, paragraph, result);
        if (excluded == Tri::Unknown) note_missing(exclusion_unknowns, *version, *exclusion_open, result);
        break;
      }
      if (rank > result.rank) {
        result.rank = rank;
        result.deciding_rule = version;
        result.deciding_provision = &paragraph;
        result.paragraph = paragraph.id;
        result.eccn = is_computer ? paragraph.outcome_or("computer") : paragraph.outcome_or("ic");
      }
      break;
    }
  }
  if (open_rank > result.rank) {
    result.determined = false;
  } else {
    result.missing_inputs.clear();
    result.needed.clear();
  }
  if (versions.empty())
    for (Date d : rules_.boundaries("classification"))
      if (d > date) {
        const auto next = rules_.in_force(d, "classification");
        if (!next.empty()) result.next_rule = next.front();
        break;
      }
  if (result.deciding_rule == nullptr && !versions.empty()) result.deciding_rule = versions.front();
  return result;
}

}  // namespace exportctl::classify
