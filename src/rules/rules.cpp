// The rule data model: evidence levels, citations, policies, the condition
// schemas, and the queries a loaded RuleSet answers. Loading is loader.cpp.

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "rules/rules.h"

#ifndef EXPORTCTL_SOURCE_ROOT
#define EXPORTCTL_SOURCE_ROOT "."
#endif

namespace exportctl::rules {

namespace fs = std::filesystem;

std::string_view to_string(Evidence e) {
  switch (e) {
    case Evidence::P:
      return "P";
    case Evidence::PQ:
      return "PQ";
    case Evidence::S:
      return "S";
    case Evidence::D:
      return "D";
    case Evidence::U:
      return "U";
  }
  return "U";
}

std::optional<Evidence> parse_evidence(std::string_view text) {
  if (text == "P") return Evidence::P;
  if (text == "PQ") return Evidence::PQ;
  if (text == "S") return Evidence::S;
  if (text == "D") return Evidence::D;
  if (text == "U") return Evidence::U;
  return std::nullopt;
}

std::string_view describe(Evidence e) {
  switch (e) {
    case Evidence::P:
      return "primary text";
    case Evidence::PQ:
      return "primary text, quoted by a third party";
    case Evidence::S:
      return "secondary reporting";
    case Evidence::D:
      return "derived by arithmetic";
    case Evidence::U:
      return "UNCONFIRMED";
  }
  return "UNCONFIRMED";
}

std::string Citation::short_text() const {
  std::string out = fr;
  if (!fr_doc.empty()) out += (out.empty() ? "FR Doc " : " (FR Doc ") + fr_doc + (fr.empty() ? "" : ")");
  if (!cfr.empty()) out += (out.empty() ? "" : "; ") + cfr;
  if (out.empty()) out = note.empty() ? url : note;
  return out;
}

namespace {
constexpr std::pair<Policy, std::string_view> kPolicySpellings[] = {
    {Policy::None, "none"},
    {Policy::Unconfirmed, "unconfirmed"},
    {Policy::PresumptionOfApproval, "presumption-of-approval"},
    {Policy::CaseByCase, "case-by-case"},
    {Policy::PresumptionOfDenial, "presumption-of-denial"},
};
}  // namespace

std::string_view to_string(Policy p) {
  for (const auto& [policy, text] : kPolicySpellings)
    if (policy == p) return text;
  return "none";
}

std::optional<Policy> parse_policy(std::string_view text) {
  for (const auto& [policy, spelling] : kPolicySpellings)
    if (policy != Policy::None && spelling == text) return policy;
  return std::nullopt;
}

std::string policy_spellings() {
  std::string out;
  for (const auto& [policy, text] : kPolicySpellings)
    if (policy != Policy::None) out += (out.empty() ? "" : ", ") + std::string(text);
  return out;
}

std::string Provision::outcome_or(std::string_view key, std::string_view fallback) const {
  const auto it = outcome.find(key);
  return it == outcome.end() ? std::string(fallback) : it->second;
}

const std::vector<Provision>& RuleVersion::section(std::string_view name) const {
  static const std::vector<Provision> none;
  const auto it = sections.find(name);
  return it == sections.end() ? none : it->second;
}

std::string RuleVersion::attribute_or(std::string_view key, std::string_view fallback) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? std::string(fallback) : it->second;
}

const PrecisionDef* MetricDefinitions::find(std::string_view name) const {
  for (const auto& p : precisions)
    if (p.name == name) return &p;
  return nullptr;
}

const Schema& item_schema() {
  static const Schema schema = [] {
    Schema s;
    // Order must match enum ItemInput.
    s.declare(
        "tpp", ValueType::Number,
        "total processing performance (max over precisions of dense TOPS x bit length, summed over units)");
    s.declare("pd", ValueType::Number, "performance density: TPP / area of non-planar logic dies (mm^2)");
    s.declare("io_bw", ValueType::Number,
              "aggregate bidirectional I/O transfer rate to ICs other than volatile memory, GB/s");
    s.declare("mem_bw", ValueType::Number, "peak DRAM/HBM memory bandwidth, GB/s");
    s.declare("mbd", ValueType::Number, "memory bandwidth density, GB/s per mm^2 of package or stack");
    s.declare("datacenter", ValueType::Bool, "designed or marketed for use in data centers");
    s.declare("hbm", ValueType::Bool, "the item is or contains high-bandwidth memory");
    s.declare("has_compute", ValueType::Bool, "the item has processing throughput figures (a logic IC)");
    s.declare("kind", ValueType::String, "\"ic\" or \"computer\"");
    s.declare("vendor", ValueType::String, "vendor name");
    s.declare("designer_country", ValueType::String, "ISO 3166 code of the designer's country");
    s.declare("item", ValueType::String, "catalog id or spec name");
    s.declare("other_eccn", ValueType::String,
              "the item's ECCN when it is not 3A090/4A090 (3A991, 5A992, 4A994, EAR99 ...), from the spec's "
              "eccn field");
    return s;
  }();
  return schema;
}

Schema transaction_schema(const std::vector<std::string>& group_names) {
  Schema s = item_schema();
  // Order must match enum TransactionInput.
  s.declare("eccn", ValueType::String, "classification: 3A090.a/.b/.c, 4A090.a/.b or not-3A090");
  s.declare("paragraph", ValueType::String, "finest paragraph met, e.g. 3A090.a.2");
  s.declare("dest", ValueType::String, "destination country (ISO code; Hong Kong evaluated as China)");
  s.declare("hq", ValueType::String, "country where the end user or its ultimate parent is headquartered");
  s.declare("export_from", ValueType::String,
            "country the item is exported from (US for exports from the US)");
  s.declare("end_use", ValueType::String, "stated end use: supercomputer, advanced-ic or none");
  s.declare("party_listed", ValueType::Bool, "a party matched an Entity List entry");
  s.declare("listed_ownership", ValueType::Number,
            "percent of the end user owned, directly or indirectly, by owners on the Entity List, summed");
  for (const auto& g : group_names) s.declare_set(g, "Country Group " + g);
  return s;
}

std::vector<std::string> unknown_inputs_of(const Comparison& c, std::span<const Value> inputs) {
  static const Schema names = transaction_schema({});
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < c.left.size()) {
    if (!(std::isalpha(static_cast<unsigned char>(c.left[i])) || c.left[i] == '_')) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < c.left.size() && (std::isalnum(static_cast<unsigned char>(c.left[j])) || c.left[j] == '_'))
      ++j;
    const std::string word = c.left.substr(i, j - i);
    if (const auto slot = names.slot(word); slot && static_cast<std::size_t>(*slot) < inputs.size() &&
                                            !inputs[static_cast<std::size_t>(*slot)].known() &&
                                            std::find(out.begin(), out.end(), word) == out.end())
      out.push_back(word);
    i = j;
  }
  return out;
}

std::optional<Date> RuleSet::compiled() const {
  for (const auto& v : versions_)
    if (v.kind == "dataset") return Date::parse(v.attribute_or("compiled"));
  return std::nullopt;
}

Date RuleSet::timeline_from() const {
  for (const auto& v : versions_)
    if (v.kind == "dataset")
      if (const auto d = Date::parse(v.attribute_or("timeline_from"))) return *d;
  if (const auto d = coverage_from()) return *d;
  return boundaries().empty() ? Date::today() : boundaries().front();
}

std::optional<Date> RuleSet::coverage_from() const {
  for (const auto& v : versions_)
    if (v.kind == "dataset") return Date::parse(v.attribute_or("coverage_from"));
  return std::nullopt;
}

const RuleVersion* RuleSet::find(std::string_view id) const {
  for (const auto& v : versions_)
    if (v.id == id) return &v;
  return nullptr;
}

std::vector<const RuleVersion*> RuleSet::in_force(Date date, std::string_view kind) const {
  std::vector<const RuleVersion*> out;
  for (const auto& v : versions_)
    if ((kind.empty() || v.kind == kind) && v.in_force(date)) out.push_back(&v);
  return out;
}

std::vector<Date> RuleSet::boundaries(std::string_view kind) const {
  std::vector<Date> out;
  for (const auto& v : versions_) {
    if (!kind.empty() && v.kind != kind) continue;
    out.push_back(v.effective_from);
    if (v.effective_to) out.push_back(v.effective_to->next_day());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Date RuleSet::as_of() const {
  Date latest;
  for (const auto& v : versions_) {
    latest = std::max(latest, v.effective_from);
    if (v.effective_to) latest = std::max(latest, *v.effective_to);
  }
  return latest;
}

namespace {
fs::path find_bundled(const char* env_name, const std::string& share_sub, const std::string& source_sub) {
  if (const char* env = std::getenv(env_name); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "exportctl" / share_sub;
    if (fs::is_directory(installed, ec)) return installed;
  }
  return fs::path(EXPORTCTL_SOURCE_ROOT) / source_sub;
}
}  // namespace

fs::path default_rules_dir() {
  return find_bundled("EXPORTCTL_RULES", "rules", "rules");
}
fs::path default_data_dir() {
  return find_bundled("EXPORTCTL_BUNDLE", "data", "data");
}

}  // namespace exportctl::rules
