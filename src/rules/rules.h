#pragma once
// Regulations as data. A RuleSet is everything loaded from a rules folder
// (YAML files, format in docs/rules.md): dated rule versions, each with its
// citation and evidence level, whose provisions carry compiled conditions.
// A RuleSet is immutable after load and may be shared by all threads.

#include <bitset>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "rules/condition.h"

namespace exportctl::rules {

// How directly a fact was read (see ../shared TIMELINE.md): P primary text,
// PQ primary text quoted by a third party, S secondary reporting, D derived,
// U unconfirmed.
enum class Evidence { P, PQ, S, D, U };
std::string_view to_string(Evidence e);
std::optional<Evidence> parse_evidence(std::string_view text);
std::string_view describe(Evidence e);

// Review policies for license applications, ordered from least to most
// restrictive. Unconfirmed: a requirement applies but the material read does
// not state its policy. One spelling table for rule data and answers.
enum class Policy { None, Unconfirmed, PresumptionOfApproval, CaseByCase, PresumptionOfDenial };
std::string_view to_string(Policy p);
// The rule-data spelling ("presumption-of-denial"); nullopt for anything else.
std::optional<Policy> parse_policy(std::string_view text);
// The spellings parse_policy accepts, for error messages.
std::string policy_spellings();

struct Citation {
  std::string fr;      // "88 FR 73458"
  std::string fr_doc;  // "2023-23055"
  std::string cfr;     // "15 CFR 774 Supp. 1, ECCN 3A090.a"
  std::string url;
  std::string published;  // publication date, when it differs from the effective date
  std::string note;
  // "88 FR 73458 (FR Doc 2023-23055); 15 CFR ..." — what a reader cites.
  std::string short_text() const;
};

// One paragraph, exclusion, requirement or policy line of a rule version.
struct Provision {
  std::string id;                                           // "3A090.a.1", "note-2"
  std::string title;                                        // human label
  Condition when;                                           // empty() = always applies
  std::map<std::string, std::string, std::less<>> outcome;  // kind-specific results
  std::optional<Citation> citation;                         // finer pointer than the rule's
  std::optional<Evidence> evidence;
  std::string explanation;  // one sentence a compliance officer can read
  int line = 0;

  std::string outcome_or(std::string_view key, std::string_view fallback = {}) const;
};

struct RuleVersion {
  std::string id;      // "CLS-2023"
  std::string kind;    // classification, metrics, countries, license, ...
  std::string family;  // versions of one family never overlap in time
  std::string title;
  Date effective_from;
  std::optional<Date> effective_to;  // last day in force, inclusive
  Citation citation;
  Evidence evidence = Evidence::U;
  std::string status;  // "in-force" (default), "not-enforced", "information"
  std::string notes;
  std::string file;
  int line = 0;
  std::map<std::string, std::vector<Provision>, std::less<>> sections;
  std::map<std::string, std::string, std::less<>> attributes;  // extra scalar fields
  // Scenario files (what-if rules, docs/impact.md) load as hypothetical
  // versions; `lifts` names rule ids or families they end (kind "lift").
  bool hypothetical = false;
  std::vector<std::string> lifts;
  // What loading scenarios did to this version ("ends 2026-12-31: superseded
  // by WHATIF-TPP-3000"); empty for versions no scenario touched.
  std::string scenario_effect;

  bool in_force(Date d) const { return effective_from <= d && (!effective_to || d <= *effective_to); }
  const std::vector<Provision>& section(std::string_view name) const;
  std::string attribute_or(std::string_view key, std::string_view fallback = {}) const;
};

// Bit lengths per precision, used by the TPP formula; dated like any rule.
struct PrecisionDef {
  std::string name;
  std::optional<int> bits;  // nullopt = excluded from TPP under the chosen reading
  std::map<std::string, std::optional<int>, std::less<>> readings;  // for unsettled ones (tf32)
  std::string default_reading;
  std::optional<Evidence> evidence;
  std::string note;
};

struct MetricDefinitions {
  std::string rule_id;
  Citation citation;
  Evidence evidence = Evidence::U;
  std::vector<PrecisionDef> precisions;
  const PrecisionDef* find(std::string_view name) const;
};

// The input vocabulary of rule conditions. Classification conditions see the
// item inputs; later kinds extend this list.
enum ItemInput : int {
  kTpp,
  kPd,
  kIoBandwidth,
  kMemoryBandwidth,
  kMemoryBandwidthDensity,
  kDatacenter,
  kHbm,
  kHasCompute,
  kKind,
  kVendor,
  kDesignerCountry,
  kItem,
  kOtherEccn,
  kItemInputCount
};
const Schema& item_schema();

// Inputs of license conditions: the item inputs, then the transaction.
enum TransactionInput : int {
  kEccn = kItemInputCount,
  kParagraph,
  kDestination,
  kHeadquarters,
  kExportFrom,
  kEndUse,
  kPartyListed,
  kListedOwnership,
  kTransactionInputCount
};
// License conditions may also name every country group as a set.
Schema transaction_schema(const std::vector<std::string>& group_names);

// The inputs an open (unknown) comparison is waiting for: the input names in
// its left operand whose values are unknown ("mem_bw + io_bw" -> "io_bw" when
// only that one is missing). `inputs` are indexed as in transaction_schema.
std::vector<std::string> unknown_inputs_of(const Comparison& c, std::span<const Value> inputs);

// ISO 3166-1 alpha-2 code -> English name (from ICU); empty when unknown.
std::string country_name(std::string_view code);
bool is_country_code(std::string_view code);

// Country Groups of 15 CFR 740 Supp. No. 1 on any date: a snapshot plus dated
// changes. Immutable after load; thread-safe.
class CountryGroups {
 public:
  struct Group {
    std::string name;
    Evidence evidence = Evidence::U;
    bool complete = true;  // false: the list is known to be partial
    std::string note;
  };
  struct Change {
    std::string country, group, change;  // change: add | remove
    Date effective;
    Evidence evidence = Evidence::U;
    std::string note, source;
  };
  struct TreatAs {
    std::string code, as;
    Evidence evidence = Evidence::U;
    std::string note;
  };

  bool contains(std::string_view group, std::string_view code, Date date) const;
  // Group index for fast lookups; -1 when unknown.
  int group_index(std::string_view group) const;
  bool contains(int group, std::string_view code, Date date) const;
  // Membership table of one date, for many lookups on that date.
  class OnDate {
   public:
    bool contains(int group, std::string_view code) const;

   private:
    friend class CountryGroups;
    const std::vector<std::bitset<26u * 26u>>* members_ = nullptr;
  };
  OnDate on(Date date) const;
  std::vector<std::string> groups_of(std::string_view code, Date date) const;
  // A country as people write it: an ISO alpha-2 code in any case ("cn"), an
  // alpha-3 code ("CHN"), an English name ("China", "Hong Kong", "United Arab
  // Emirates"), or a name from the data's `names`; nullopt when none matches.
  std::optional<std::string> parse_country(std::string_view text) const;
  // The closest known names, for "did you mean" ("Chian" -> "CN (China)").
  std::vector<std::string> suggest_country(std::string_view text) const;
  // Code to evaluate a destination as ("HK" -> "CN"); the code itself otherwise.
  std::string canonical(std::string_view code) const;
  const TreatAs* treat_as(std::string_view code) const;
  const std::vector<Group>& groups() const { return groups_; }
  const std::vector<Change>& changes() const { return changes_; }
  std::vector<std::string> group_names() const;
  std::vector<Date> change_dates() const;
  const std::string& rule_id() const { return rule_id_; }
  Date snapshot_date() const { return snapshot_; }

 private:
  friend class RuleSet;
  friend struct CountryGroupsBuilder;
  using Members = std::bitset<26u * 26u>;
  struct Period {
    Date from;
    std::vector<Members> members;  // by group index
  };
  const Period& period(Date date) const;

  std::string rule_id_;
  Date snapshot_;
  std::vector<Group> groups_;
  std::vector<Change> changes_;
  std::vector<TreatAs> treat_as_;
  std::vector<Period> periods_;
  std::map<std::string, std::string, std::less<>> names_;  // folded name -> ISO code
};

struct LoadProblem {
  std::string where;  // file:line
  std::string message;
};

class RuleSet {
 public:
  // Loads every *.yaml / *.yml file under `dir` (recursively, in path order),
  // then each scenario file in order: a hypothetical version supersedes the
  // versions of its family from its effective date on, a `lift` ends the
  // versions it names, a `country_group_changes` file adds, removes or
  // replaces members from its dates on (docs/impact.md). Throws InputError
  // naming file, line and field on the first problem.
  static RuleSet load(const std::filesystem::path& dir,
                      const std::vector<std::filesystem::path>& scenarios = {});
  // Parses one rule file's text (the unit the fuzz target exercises).
  // `scenario`: parse it as a what-if scenario file (docs/impact.md).
  static RuleVersion parse_version(std::string_view yaml_text, const std::string& source,
                                   bool scenario = false);
  // Same, but collects every problem instead of stopping at the first.
  static std::vector<LoadProblem> validate(const std::filesystem::path& dir,
                                           const std::vector<std::filesystem::path>& scenarios = {});

  const std::vector<RuleVersion>& versions() const { return versions_; }
  // What the scenario files did, one line each, in load order
  // ("R2023-10-17-ACS ends 2026-12-31 (lifted by WHATIF-LIFT)"); versions a
  // scenario superseded entirely are gone from versions() and named here.
  const std::vector<std::string>& scenario_effects() const { return scenario_effects_; }
  const RuleVersion* find(std::string_view id) const;
  // Versions of `kind` in force on `date`, in load order.
  std::vector<const RuleVersion*> in_force(Date date, std::string_view kind) const;
  // Every date on which some version starts or stops applying, ascending.
  std::vector<Date> boundaries(std::string_view kind = {}) const;
  const MetricDefinitions& metrics() const { return metrics_; }
  const CountryGroups& country_groups() const { return groups_; }
  // The dataset file's compilation date ("rules as of"), if given.
  std::optional<Date> compiled() const;
  // Earliest date the data answers for, if given.
  std::optional<Date> coverage_from() const;
  // First date of a timeline (the dataset's timeline_from, else coverage_from).
  Date timeline_from() const;
  // The end uses a transaction may state (the dataset's end_uses: id -> meaning).
  const std::vector<std::pair<std::string, std::string>>& end_uses() const { return end_uses_; }
  const std::filesystem::path& directory() const { return directory_; }
  // Latest effective date in the data: the "rules as of" date.
  Date as_of() const;

 private:
  std::vector<RuleVersion> versions_;
  std::vector<std::string> scenario_effects_;
  MetricDefinitions metrics_;
  CountryGroups groups_;
  std::vector<std::pair<std::string, std::string>> end_uses_;
  std::filesystem::path directory_;
};

// Default rules folder: $EXPORTCTL_RULES, else <exe>/../share/exportctl/rules,
// else the source tree's rules/ folder.
std::filesystem::path default_rules_dir();
// Default folder of bundled data (chip catalog, lists), found the same way.
std::filesystem::path default_data_dir();

}  // namespace exportctl::rules
