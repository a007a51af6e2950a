#pragma once
// Internal to the rules component: the parser of one rule file's YAML into a
// RuleVersion, checked field by field (errors name the file, line and field).
// Used by the folder loader and by the scenario loader.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/utf8.h"
#include "rules/internal.h"
#include "rules/rules.h"

namespace exportctl::rules::parse {

struct KindSpec {
  std::string_view kind;
  std::vector<std::string_view> sections;
  std::vector<std::string_view> attributes;
};

inline const std::vector<KindSpec>& kind_specs() {
  static const std::vector<KindSpec> specs = {
      {"classification", {"exclusions", "paragraphs"}, {"applies_to"}},
      {"metrics", {}, {}},
      {"license", {"requirements", "policies", "exceptions", "flags", "information"}, {"compliance_from"}},
      {"country_groups", {}, {"snapshot_as_of"}},
      {"dataset", {}, {"compiled", "newest_material_seen", "coverage_from", "timeline_from"}},
      // Scenario files only (what-if rules): ending rules, and changing country groups.
      {"lift", {}, {}},
      {"country_group_changes", {}, {}},
  };
  return specs;
}

inline const KindSpec* find_kind(std::string_view kind) {
  for (const auto& k : kind_specs())
    if (k.kind == kind) return &k;
  return nullptr;
}

class FileParser {
 public:
  // `scenario`: the file is a what-if scenario (docs/impact.md): its version
  // is hypothetical, citation and evidence are optional (evidence U), and it
  // may use the scenario-only kinds and fields.
  explicit FileParser(std::string file, const Schema* transaction_schema = nullptr, bool scenario = false)
      : file_(std::move(file)), transaction_schema_(transaction_schema), scenario_(scenario) {}

  const Schema* schema_for(std::string_view kind) const {
    if (kind == "classification") return &item_schema();
    if (kind == "license") return transaction_schema_;
    return nullptr;
  }

  [[noreturn]] void fail(const YAML::Node& node, const std::string& field, const std::string& message) const {
    const int line = node.IsDefined() ? node.Mark().line + 1 : 0;
    throw InputError(location(file_, line), "field '" + field + "': " + message);
  }

  std::string scalar(const YAML::Node& parent, const std::string& key, const std::string& path,
                     bool required) const {
    const YAML::Node node = parent[key];
    if (!node.IsDefined() || node.IsNull()) {
      if (required) fail(parent, path + key, "is required");
      return {};
    }
    if (!node.IsScalar()) fail(node, path + key, "must be a single value");
    if (!is_valid_utf8(node.Scalar())) fail(node, path + key, "is not valid UTF-8 text");
    return node.Scalar();
  }

  Date date(const YAML::Node& parent, const std::string& key, const std::string& path) const {
    const std::string text = scalar(parent, key, path, true);
    const auto d = Date::parse(text);
    if (!d) fail(parent[key], path + key, "'" + text + "' is not a date (YYYY-MM-DD)");
    return *d;
  }

  Citation citation(const YAML::Node& node, const std::string& path) const {
    if (!node.IsMap()) fail(node, path, "must be a map with fr, fr_doc, cfr, url");
    static const std::set<std::string> known = {"fr", "fr_doc", "cfr", "url", "published", "note"};
    check_keys(node, known, path + ".");
    Citation c;
    c.fr = scalar(node, "fr", path + ".", false);
    c.fr_doc = scalar(node, "fr_doc", path + ".", false);
    c.cfr = scalar(node, "cfr", path + ".", false);
    c.url = scalar(node, "url", path + ".", false);
    c.published = scalar(node, "published", path + ".", false);
    c.note = scalar(node, "note", path + ".", false);
    if (c.fr.empty() && c.fr_doc.empty() && c.url.empty() && c.cfr.empty())
      fail(node, path, "needs at least one of fr, fr_doc, cfr or url");
    return c;
  }

  Evidence evidence(const YAML::Node& parent, const std::string& key, const std::string& path) const {
    const std::string text = scalar(parent, key, path, true);
    const auto e = parse_evidence(text);
    if (!e) fail(parent[key], path + key, "'" + text + "' is not one of P, PQ, S, D, U");
    return *e;
  }

  // Calls `fn` with each map of the list `root[key]` and its path ("changes[2]");
  // an absent or null list is empty.
  template <typename Fn>
  void each_map(const YAML::Node& root, const std::string& key, Fn fn) const {
    const YAML::Node list = root[key];
    if (!list.IsDefined() || list.IsNull()) return;
    if (!list.IsSequence()) fail(list, key, "must be a list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      const std::string path = key + "[" + std::to_string(i) + "]";
      if (!item.IsMap()) fail(item, path, "must be a map");
      fn(item, path, i);
    }
  }

  void check_keys(const YAML::Node& map, const std::set<std::string>& known, const std::string& path) const {
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      if (!known.count(key)) fail(kv.first, path + key, "unknown field");
    }
  }

  Provision provision(const YAML::Node& node, const std::string& path, const Schema* schema) const {
    if (!node.IsMap()) fail(node, path, "must be a map");
    static const std::set<std::string> known = {"id",       "title",    "when",       "outcome",
                                                "citation", "evidence", "explanation"};
    check_keys(node, known, path + ".");
    Provision p;
    p.line = node.Mark().line + 1;
    p.id = scalar(node, "id", path + ".", true);
    p.title = scalar(node, "title", path + ".", false);
    p.explanation = scalar(node, "explanation", path + ".", false);
    const std::string when = scalar(node, "when", path + ".", false);
    if (!when.empty()) {
      if (!schema) fail(node["when"], path + ".when", "conditions are not allowed in this kind");
      try {
        p.when = Condition::compile(when, *schema);
      } catch (const ConditionError& e) {
        fail(node["when"], path + ".when", std::string(e.what()) + " in '" + when + "'");
      }
    }
    if (node["outcome"].IsDefined()) {
      const YAML::Node out = node["outcome"];
      if (!out.IsMap()) fail(out, path + ".outcome", "must be a map");
      for (const auto& kv : out) {
        if (!kv.second.IsScalar())
          fail(kv.second, path + ".outcome." + kv.first.Scalar(), "must be a single value");
        p.outcome.emplace(kv.first.Scalar(), kv.second.Scalar());
      }
    }
    if (node["citation"].IsDefined()) p.citation = citation(node["citation"], path + ".citation");
    if (node["evidence"].IsDefined()) p.evidence = evidence(node, "evidence", path + ".");
    return p;
  }

  void precisions(const YAML::Node& node, MetricDefinitions& out) const {
    if (!node.IsDefined() || !node.IsSequence() || node.size() == 0)
      fail(node, "precisions", "must be a non-empty list");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      const std::string path = "precisions[" + std::to_string(i) + "]";
      if (!item.IsMap()) fail(item, path, "must be a map");
      check_keys(item, {"name", "bits", "readings", "default_reading", "evidence", "note"}, path + ".");
      PrecisionDef p;
      p.name = scalar(item, "name", path + ".", true);
      if (!seen.insert(p.name).second) fail(item, path + ".name", "duplicate precision '" + p.name + "'");
      auto parse_bits = [&](const YAML::Node& n, const std::string& field) -> std::optional<int> {
        if (n.IsNull()) return std::nullopt;
        int bits = 0;
        try {
          bits = n.as<int>();
        } catch (const YAML::Exception&) {
          fail(n, field, "must be a whole number of bits or null");
        }
        if (bits <= 0 || bits > 128) fail(n, field, "bit length out of range");
        return bits;
      };
      p.note = scalar(item, "note", path + ".", false);
      if (item["evidence"].IsDefined()) p.evidence = evidence(item, "evidence", path + ".");
      if (item["readings"].IsDefined()) {
        const YAML::Node readings = item["readings"];
        if (!readings.IsMap() || readings.size() == 0)
          fail(readings, path + ".readings", "must be a non-empty map of reading -> bits");
        for (const auto& kv : readings)
          p.readings.emplace(kv.first.Scalar(),
                             parse_bits(kv.second, path + ".readings." + kv.first.Scalar()));
        p.default_reading = scalar(item, "default_reading", path + ".", true);
        const auto it = p.readings.find(p.default_reading);
        if (it == p.readings.end())
          fail(item["default_reading"], path + ".default_reading", "names no reading");
        p.bits = it->second;
      } else {
        if (!item["bits"].IsDefined()) fail(item, path + ".bits", "is required");
        p.bits = parse_bits(item["bits"], path + ".bits");
      }
      out.precisions.push_back(std::move(p));
    }
  }

  // yaml-cpp throws on some malformed shapes (e.g. reading a key of a scalar);
  // those become InputErrors naming the file and the line yaml-cpp reports.
  RuleVersion version(const YAML::Node& root, MetricDefinitions* metrics) const {
    try {
      return version_unchecked(root, metrics);
    } catch (const YAML::Exception& e) {
      throw InputError(location(file_, e.mark.line + 1), "malformed rule file: " + e.msg);
    }
  }

  RuleVersion version_unchecked(const YAML::Node& root, MetricDefinitions* metrics) const {
    if (!root.IsMap()) throw InputError(file_, "a rule file must be a YAML map");
    RuleVersion v;
    v.file = file_;
    v.line = root.Mark().line + 1;
    v.id = scalar(root, "id", "", true);
    v.kind = scalar(root, "kind", "", true);
    const KindSpec* spec = find_kind(v.kind);
    if (!spec) {
      std::string known;
      for (const auto& k : kind_specs()) known += (known.empty() ? "" : ", ") + std::string(k.kind);
      fail(root["kind"], "kind", "unknown kind '" + v.kind + "' (known: " + known + ")");
    }
    std::set<std::string> known = {"id",           "kind",     "family",   "title",  "effective_from",
                                   "effective_to", "citation", "evidence", "status", "notes",
                                   "sources"};
    for (auto s : spec->sections) known.emplace(s);
    for (auto a : spec->attributes) known.emplace(a);
    if (v.kind == "metrics") known.emplace("precisions");
    if (v.kind == "dataset") known.emplace("end_uses");
    if (v.kind == "country_groups") {
      known.emplace("groups");
      known.emplace("changes");
      known.emplace("treat_as");
      known.emplace("names");
    }
    const bool scenario_kind = v.kind == "lift" || v.kind == "country_group_changes";
    if (scenario_kind && !scenario_)
      fail(root["kind"], "kind", "'" + v.kind + "' is for scenario files only (given with --scenario)");
    if (scenario_ && !scenario_kind && v.kind != "classification" && v.kind != "license")
      fail(root["kind"], "kind",
           "a scenario may be a classification or license rule, a lift or country_group_changes, not '" +
               v.kind + "'");
    if (scenario_) known.emplace("lifts");
    if (v.kind == "country_group_changes") {
      known.emplace("changes");
      known.emplace("replace");
    }
    check_keys(root, known, "");
    v.hypothetical = scenario_;

    v.family = scalar(root, "family", "", false);
    if (v.family.empty()) v.family = v.id;
    v.title = scalar(root, "title", "", true);
    v.effective_from = date(root, "effective_from", "");
    if (root["effective_to"].IsDefined() && !root["effective_to"].IsNull()) {
      v.effective_to = date(root, "effective_to", "");
      if (*v.effective_to < v.effective_from)
        fail(root["effective_to"], "effective_to", "is before effective_from");
    }
    if (scenario_ && !root["citation"].IsDefined()) {
      v.citation.note = "hypothetical: scenario file " + file_;
    } else {
      if (!root["citation"].IsDefined()) fail(root, "citation", "is required");
      v.citation = citation(root["citation"], "citation");
    }
    v.evidence = scenario_ && !root["evidence"].IsDefined() ? Evidence::U : evidence(root, "evidence", "");
    if (root["lifts"].IsDefined()) {
      const YAML::Node lifts = root["lifts"];
      if (!lifts.IsSequence() || lifts.size() == 0)
        fail(lifts, "lifts", "must be a non-empty list of rule ids or families");
      for (std::size_t i = 0; i < lifts.size(); ++i) {
        if (!lifts[i].IsScalar() || lifts[i].Scalar().empty())
          fail(lifts[i], "lifts[" + std::to_string(i) + "]", "must be a rule id or family");
        v.lifts.push_back(lifts[i].Scalar());
      }
    }
    if (v.kind == "lift" && v.lifts.empty()) fail(root, "lifts", "is required for kind lift");
    v.status = scalar(root, "status", "", false);
    if (v.status.empty()) v.status = "in-force";
    if (v.status != "in-force" && v.status != "not-enforced" && v.status != "information")
      fail(root["status"], "status", "must be in-force, not-enforced or information");
    v.notes = scalar(root, "notes", "", false);
    for (auto a : spec->attributes) {
      const std::string key(a);
      const std::string value = scalar(root, key, "", false);
      if (!value.empty()) v.attributes.emplace(key, value);
    }
    const Schema* schema = schema_for(v.kind);
    for (auto s : spec->sections) {
      const std::string key(s);
      const YAML::Node list = root[key];
      if (!list.IsDefined() || list.IsNull()) continue;
      if (!list.IsSequence()) fail(list, key, "must be a list");
      auto& provisions = v.sections[key];
      std::set<std::string> ids;
      for (std::size_t i = 0; i < list.size(); ++i) {
        Provision p = provision(list[i], key + "[" + std::to_string(i) + "]", schema);
        if (!ids.insert(p.id).second)
          fail(list[i]["id"], key + "[" + std::to_string(i) + "].id", "duplicate id '" + p.id + "'");
        provisions.push_back(std::move(p));
      }
    }
    validate_kind(root, v);
    if (v.kind == "metrics") {
      if (!metrics) fail(root, "kind", "only one metrics file is allowed");
      metrics->rule_id = v.id;
      metrics->citation = v.citation;
      metrics->evidence = v.evidence;
      precisions(root["precisions"], *metrics);
    }
    return v;
  }

  void validate_license(const YAML::Node& root, const RuleVersion& v) const {
    struct Need {
      const char* section;
      std::vector<const char*> keys;
    };
    static const Need needs[] = {{"requirements", {"requirement"}},
                                 {"policies", {"requirement", "policy"}},
                                 {"exceptions", {"exception", "overcomes"}},
                                 {"flags", {"flag"}},
                                 {"information", {"information"}}};
    for (const auto& need : needs) {
      const auto& list = v.section(need.section);
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = std::string(need.section) + "[" + std::to_string(i) + "]";
        if (list[i].when.empty()) fail(root[need.section][i], path + ".when", "is required");
        for (const char* key : need.keys)
          if (list[i].outcome_or(key).empty())
            fail(root[need.section][i], path + ".outcome." + key, "is required");
        const std::string policy = list[i].outcome_or("policy");
        if (!policy.empty() && !parse_policy(policy))
          fail(root[need.section][i], path + ".outcome.policy", "must be one of " + policy_spellings());
        const std::string from = list[i].outcome_or("policy_from");
        if (!from.empty() && from != "entry" && from != "owners")
          fail(
              root[need.section][i], path + ".outcome.policy_from",
              "must be 'entry' (the matched parties' list entries) or 'owners' (the listed owners' entries)");
      }
    }
  }

  void validate_kind(const YAML::Node& root, const RuleVersion& v) const {
    if (v.kind == "license") validate_license(root, v);
    if (v.kind != "classification") return;
    const auto& paragraphs = v.section("paragraphs");
    if (paragraphs.empty()) fail(root, "paragraphs", "a classification needs at least one paragraph");
    for (std::size_t i = 0; i < paragraphs.size(); ++i) {
      const auto& p = paragraphs[i];
      const std::string path = "paragraphs[" + std::to_string(i) + "]";
      if (p.when.empty()) fail(root["paragraphs"][i], path + ".when", "is required");
      if (p.outcome_or("ic").empty())
        fail(root["paragraphs"][i], path + ".outcome.ic", "is required (the ECCN for an IC)");
    }
    const auto& exclusions = v.section("exclusions");
    for (std::size_t i = 0; i < exclusions.size(); ++i) {
      const std::string path = "exclusions[" + std::to_string(i) + "]";
      if (exclusions[i].when.empty()) fail(root["exclusions"][i], path + ".when", "is required");
    }
  }

  // The dataset's vocabulary of stated end uses: a map of id -> meaning.
  std::vector<std::pair<std::string, std::string>> end_uses(const YAML::Node& root) const {
    std::vector<std::pair<std::string, std::string>> out;
    const YAML::Node node = root["end_uses"];
    if (!node.IsDefined() || node.IsNull()) return out;
    if (!node.IsMap()) fail(node, "end_uses", "must be a map of end-use id to its meaning");
    for (const auto& kv : node) {
      const std::string id = kv.first.Scalar();
      if (!kv.second.IsScalar() || kv.second.Scalar().empty())
        fail(kv.second, "end_uses." + id, "must be a sentence saying what the end use means");
      out.emplace_back(id, kv.second.Scalar());
    }
    return out;
  }

  CountryGroupsData country_groups(const YAML::Node& root, const RuleVersion& v) const {
    CountryGroupsData data;
    data.rule_id = v.id;
    const auto snapshot = Date::parse(v.attribute_or("snapshot_as_of"));
    if (!snapshot) fail(root["snapshot_as_of"], "snapshot_as_of", "is required (YYYY-MM-DD)");
    data.snapshot = *snapshot;
    auto code = [&](const YAML::Node& n, const std::string& path) {
      if (!n.IsDefined() || !n.IsScalar()) fail(n, path, "must be an ISO 3166 country code");
      std::string c = n.Scalar();
      if (!is_country_code(c)) fail(n, path, "'" + c + "' is not an ISO 3166-1 alpha-2 code");
      return c;
    };
    const YAML::Node groups = root["groups"];
    if (!groups.IsDefined() || !groups.IsMap() || groups.size() == 0)
      fail(root, "groups", "must be a map of group name -> {members: [...]}");
    for (const auto& kv : groups) {
      const std::string name = kv.first.Scalar();
      const std::string path = "groups." + name;
      const YAML::Node g = kv.second;
      if (!g.IsMap()) fail(g, path, "must be a map");
      check_keys(g, {"members", "evidence", "complete", "note"}, path + ".");
      CountryGroups::Group group;
      group.name = name;
      group.evidence = evidence(g, "evidence", path + ".");
      group.note = scalar(g, "note", path + ".", false);
      const std::string complete = scalar(g, "complete", path + ".", false);
      if (!complete.empty() && complete != "true" && complete != "false")
        fail(g["complete"], path + ".complete", "must be true or false");
      group.complete = complete != "false";
      const YAML::Node members = g["members"];
      if (!members.IsDefined() || !members.IsSequence()) fail(g, path + ".members", "must be a list");
      std::vector<std::string> codes;
      for (std::size_t i = 0; i < members.size(); ++i)
        codes.push_back(code(members[i], path + ".members[" + std::to_string(i) + "]"));
      data.groups.push_back(std::move(group));
      data.members.push_back(std::move(codes));
    }
    auto group_of = [&](const std::string& name) -> int {
      for (std::size_t i = 0; i < data.groups.size(); ++i)
        if (data.groups[i].name == name) return static_cast<int>(i);
      return -1;
    };
    const YAML::Node changes = root["changes"];
    each_map(root, "changes", [&](const YAML::Node& c, const std::string& path, std::size_t i) {
      check_keys(c, {"country", "group", "change", "effective", "evidence", "source", "note", "fr_doc"},
                 path + ".");
      CountryGroups::Change ch;
      ch.country = code(c["country"], path + ".country");
      ch.group = scalar(c, "group", path + ".", true);
      const int g = group_of(ch.group);
      if (g < 0) fail(c["group"], path + ".group", "names no group of this file");
      ch.change = scalar(c, "change", path + ".", true);
      if (ch.change != "add" && ch.change != "remove")
        fail(c["change"], path + ".change", "must be add or remove");
      ch.effective = date(c, "effective", path + ".");
      ch.evidence = evidence(c, "evidence", path + ".");
      ch.source = scalar(c, "source", path + ".", false);
      ch.note = scalar(c, "note", path + ".", false);
      // A change on or before the snapshot must already be reflected in it.
      if (ch.effective <= data.snapshot) {
        const auto& m = data.members[static_cast<std::size_t>(g)];
        const bool present = std::find(m.begin(), m.end(), ch.country) != m.end();
        bool latest = true;  // only the latest change of a country/group pair must agree
        for (std::size_t j = 0; j < changes.size(); ++j) {
          const auto other = Date::parse(scalar(changes[j], "effective", "", false));
          if (j != i && other && *other > ch.effective && *other <= data.snapshot &&
              scalar(changes[j], "country", "", false) == ch.country &&
              scalar(changes[j], "group", "", false) == ch.group)
            latest = false;
        }
        if (latest && present != (ch.change == "add"))
          fail(c, path,
               "contradicts the snapshot of " + data.snapshot.str() + " (" + ch.country +
                   (present ? " is" : " is not") + " in " + ch.group + ")");
      }
      data.changes.push_back(std::move(ch));
    });
    const YAML::Node treat = root["treat_as"];
    if (treat.IsDefined() && !treat.IsNull()) {
      if (!treat.IsSequence()) fail(treat, "treat_as", "must be a list");
      for (std::size_t i = 0; i < treat.size(); ++i) {
        const std::string path = "treat_as[" + std::to_string(i) + "]";
        check_keys(treat[i], {"code", "as", "evidence", "note"}, path + ".");
        CountryGroups::TreatAs t;
        t.code = code(treat[i]["code"], path + ".code");
        t.as = code(treat[i]["as"], path + ".as");
        t.evidence = evidence(treat[i], "evidence", path + ".");
        t.note = scalar(treat[i], "note", path + ".", false);
        data.treat_as.push_back(std::move(t));
      }
    }
    const YAML::Node names = root["names"];
    if (names.IsDefined() && !names.IsNull()) {
      if (!names.IsMap()) fail(names, "names", "must be a map of a name as people write it to an ISO code");
      for (const auto& kv : names)
        data.names.emplace_back(kv.first.Scalar(), code(kv.second, "names." + kv.first.Scalar()));
    }
    return data;
  }

 public:
  // A country_group_changes scenario's changes, checked against the groups
  // of the folder: `changes` (country, group, change add|remove, optional
  // effective date, default the file's effective_from) and `replace` (group
  // -> its whole membership from effective_from on).
  std::vector<CountryGroupsData::Override> country_overrides(const YAML::Node& root, const RuleVersion& v,
                                                             const CountryGroups& groups) const {
    std::vector<CountryGroupsData::Override> out;
    auto code = [&](const YAML::Node& n, const std::string& path) {
      if (!n.IsDefined() || !n.IsScalar() || !is_country_code(n.Scalar()))
        fail(n, path, "must be an ISO 3166-1 alpha-2 country code");
      return n.Scalar();
    };
    auto group = [&](const YAML::Node& n, const std::string& path) {
      if (!n.IsDefined() || !n.IsScalar() || groups.group_index(n.Scalar()) < 0) {
        std::string names;
        for (const auto& g : groups.group_names()) names += (names.empty() ? "" : ", ") + g;
        fail(n, path, "must name a country group of the rules folder (" + names + ")");
      }
      return n.Scalar();
    };
    each_map(root, "changes", [&](const YAML::Node& c, const std::string& path, std::size_t) {
      check_keys(c, {"country", "group", "change", "effective", "note"}, path + ".");
      CountryGroupsData::Override o;
      o.country = code(c["country"], path + ".country");
      o.group = group(c["group"], path + ".group");
      const std::string change = scalar(c, "change", path + ".", true);
      if (change != "add" && change != "remove") fail(c["change"], path + ".change", "must be add or remove");
      o.add = change == "add";
      o.effective = c["effective"].IsDefined() ? date(c, "effective", path + ".") : v.effective_from;
      o.source = v.id;
      out.push_back(std::move(o));
    });
    const YAML::Node replace = root["replace"];
    if (replace.IsDefined() && !replace.IsNull()) {
      if (!replace.IsMap()) fail(replace, "replace", "must be a map of group -> [country codes]");
      for (const auto& kv : replace) {
        const std::string path = "replace." + kv.first.Scalar();
        CountryGroupsData::Override o;
        o.group = group(kv.first, path);
        if (!kv.second.IsSequence()) fail(kv.second, path, "must be a list of country codes");
        for (std::size_t i = 0; i < kv.second.size(); ++i)
          o.members.push_back(code(kv.second[i], path + "[" + std::to_string(i) + "]"));
        o.effective = v.effective_from;
        o.source = v.id;
        out.push_back(std::move(o));
      }
    }
    if (out.empty()) fail(root, "changes", "a country_group_changes scenario needs changes or replace");
    return out;
  }

 private:
  std::string file_;
  const Schema* transaction_schema_ = nullptr;
  bool scenario_ = false;
};

}  // namespace exportctl::rules::parse
