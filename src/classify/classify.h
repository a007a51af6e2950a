#pragma once
// Classification of an item (IC or computer) under ECCN 3A090/4A090 as of a
// date. Pure: an ItemSpec and an immutable RuleSet in, a Classification with
// its trace out. A Classifier is immutable after construction and may be used
// from many threads at once.

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "rules/rules.h"

namespace exportctl::classify {

struct LogicDie {
  double area_mm2 = 0;
  bool nonplanar = true;  // FinFET/GAA; planar dies do not count toward PD
};

// Dense (non-sparse) throughput of one processing unit, per precision name
// ("fp8", "bf16", ...), in tera-operations per second as datasheets state it.
struct ProcessingUnit {
  std::vector<std::pair<std::string, double>> dense_tops;
};

enum class ItemKind { IC, Computer };

// What a datasheet says about an item. Absent figures stay nullopt: the engine
// never fills in a default, it reports what the missing figure prevents.
struct ItemSpec {
  std::string name;
  ItemKind kind = ItemKind::IC;
  std::optional<bool> datacenter;  // designed or marketed for data centers
  std::vector<ProcessingUnit> units;
  // False for items with no processing units at all (a memory stack): their
  // TPP is 0. True with empty `units` means the throughput is not known.
  bool has_processing_units = true;
  std::vector<LogicDie> logic_dies;
  std::optional<double> memory_bandwidth_gbps;
  std::optional<double> io_bandwidth_gbps;
  std::optional<double> memory_package_area_mm2;  // for memory bandwidth density
  std::optional<bool> hbm;
  std::string vendor;
  std::string designer_country;
  // The item's ECCN outside 3A090/4A090 as its exporter classified it
  // ("3A991", "5A992", "EAR99"); empty = not known. Only 744.23's
  // supercomputer end use asks for it.
  std::string other_eccn;
};

// Parses a spec document (JSON, or YAML when `yaml` is set). Throws
// InputError naming `source` and the JSON path of the bad field.
ItemSpec parse_spec(std::string_view text, const std::string& source, bool yaml,
                    const rules::MetricDefinitions& metrics);
ItemSpec load_spec_file(const std::string& path, const rules::MetricDefinitions& metrics);

struct MetricOptions {
  std::string tf32_reading;  // empty = the reading the metrics file names as default
};

struct TppTerm {
  std::size_t unit = 0;
  std::string precision;
  double dense_tops = 0;
  std::optional<int> bits;  // nullopt = not counted under the chosen reading
  double tpp = 0;
};

struct Metrics {
  std::optional<double> tpp;
  std::string tpp_basis;       // precision(s) attaining the maximum
  std::vector<TppTerm> terms;  // filled only when tracing
  std::optional<double> pd;
  double pd_area_mm2 = 0;  // non-planar logic die area counted
  int dies_counted = 0;
  int dies_excluded = 0;      // planar logic dies
  std::optional<double> mbd;  // memory bandwidth density
  std::string tf32_reading;
};

Metrics compute_metrics(const ItemSpec& spec, const rules::MetricDefinitions& defs,
                        const MetricOptions& options, bool with_terms);

// A test that an unknown input left open: what the missing figure would be
// compared with ("needs tpp: CLS-2023 3A090.a.1 tpp >= 4800").
struct NeededTest {
  std::string input;      // condition input, "tpp"
  std::string rule;       // rule version id, "CLS-2023"
  std::string provision;  // "3A090.a.1"
  std::string test;       // "tpp >= 4800"
};
// The spec-file field that provides a condition input ("pd" -> "logic_dies ...").
std::string spec_field_for_input(std::string_view input);

// One evaluated provision (exclusion or paragraph) of one rule version.
struct Step {
  const rules::RuleVersion* rule = nullptr;
  const rules::Provision* provision = nullptr;
  std::string role;  // "exclusion" | "paragraph"
  rules::Tri result = rules::Tri::Unknown;
  std::vector<rules::Comparison> comparisons;
  std::string note;  // e.g. "applies to ICs only"
};

struct Classification {
  std::string item;
  Date date;
  bool determined = true;
  std::string eccn = "not-3A090";  // or 3A090.a/.b/.c, 4A090.a/.b
  std::string paragraph;           // finest paragraph, empty when not controlled
  const rules::RuleVersion* deciding_rule = nullptr;
  const rules::Provision* deciding_provision = nullptr;
  const rules::Provision* excluded_by = nullptr;
  std::vector<const rules::RuleVersion*> rules_in_force;
  std::vector<std::string> missing_inputs;  // inputs whose absence left the answer open
  std::vector<NeededTest> needed;           // the tests they left open
  // When no classification rule is in force yet: the first one to come.
  const rules::RuleVersion* next_rule = nullptr;
  Metrics metrics;
  std::vector<Step> trace;
  int rank = 0;
};

class Classifier {
 public:
  Classifier(const rules::RuleSet& rules, MetricOptions options = {});

  Classification classify(const ItemSpec& spec, Date date, bool with_trace) const;
  // Dates on which the classification rules change, from `from` to `to`,
  // always including `from`.
  std::vector<Date> timeline_dates(Date from, Date to) const;
  // Index of the period between rule boundaries that holds `date`: two dates
  // with the same index get the same classification (for caching).
  std::size_t period_index(Date date) const;
  const rules::RuleSet& rules() const { return rules_; }
  const MetricOptions& options() const { return options_; }

 private:
  struct Interval {
    Date from;
    std::vector<const rules::RuleVersion*> versions;
  };
  const std::vector<const rules::RuleVersion*>& versions_on(Date date) const;

  const rules::RuleSet& rules_;
  MetricOptions options_;
  std::vector<Interval> intervals_;
};

// Inputs of the condition language for this item and its metrics.
void fill_inputs(const ItemSpec& spec, const Metrics& metrics, std::span<rules::Value> inputs);

// The decisive reason in one line: the paragraph met and why, or for an item
// outside 3A090/4A090 each rule version's reason (no paragraph met, with the
// nearest thresholds missed; or the exclusion that applied). Complete only
// for traced classifications.
std::string why(const Classification& c);
// A false comparison as a reader states it: "tpp 2368 < 2400".
std::string describe_miss(const rules::Comparison& c);
// A number as a reader writes it: "2368", "2.91", "3.2".
std::string format_number(double v);

nlohmann::json to_json(const Classification& c);
// [{"input", "field", "rule", "provision", "test"}] for undetermined answers.
nlohmann::json to_json(const std::vector<NeededTest>& needed);
nlohmann::json to_json(const rules::Citation& c);
// The recorded comparisons of a condition, as JSON (shared by every trace).
nlohmann::json to_json(const std::vector<rules::Comparison>& comparisons);

}  // namespace exportctl::classify
