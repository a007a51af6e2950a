// Loading rule folders: YAML files to rule versions with compiled conditions,
// checked field by field (errors name file, line and field), then checked
// across files (unique ids, no overlapping versions in a family).

#include "rules/rules.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <set>

#include "core/error.h"
#include "core/utf8.h"
#include "rules/file_parser.h"
#include "rules/internal.h"

namespace exportctl::rules {

namespace fs = std::filesystem;

using parse::FileParser;

namespace {

std::vector<fs::path> rule_files(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(dir.string(), "rules folder not found or not a folder");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const auto ext = it->path().extension();
    if (ext == ".yaml" || ext == ".yml") files.push_back(it->path());
  }
  if (ec) throw InputError(dir.string(), "cannot read folder: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

// Checks that need all files: unique ids, families without overlaps.
void cross_checks(const std::vector<RuleVersion>& versions,
                  const std::function<void(const RuleVersion&, const std::string&)>& report) {
  std::map<std::string, const RuleVersion*> ids;
  for (const auto& v : versions) {
    auto [it, inserted] = ids.emplace(v.id, &v);
    if (!inserted) report(v, "field 'id': duplicate id '" + v.id + "' (also in " + it->second->file + ")");
  }
  std::map<std::pair<std::string, std::string>, std::vector<const RuleVersion*>> families;
  for (const auto& v : versions) families[{v.kind, v.family}].push_back(&v);
  for (auto& [key, members] : families) {
    std::sort(members.begin(), members.end(),
              [](auto* a, auto* b) { return a->effective_from < b->effective_from; });
    for (std::size_t i = 1; i < members.size(); ++i) {
      const RuleVersion& prev = *members[i - 1];
      const RuleVersion& next = *members[i];
      if (!prev.effective_to || *prev.effective_to >= next.effective_from)
        report(next, "field 'effective_from': overlaps " + prev.id + " of family '" + key.second + "' (" +
                         prev.id + " must end before " + next.effective_from.str() + ")");
    }
  }
}

}  // namespace

namespace {

using Report = std::function<void(const std::string& where, const std::string& message)>;

struct Loaded {
  std::vector<RuleVersion> versions;
  std::vector<std::string> scenario_effects;
  MetricDefinitions metrics;
  CountryGroups groups;
  CountryGroupsData groups_data;  // kept for rebuilding with scenario overrides
  std::vector<std::pair<std::string, std::string>> end_uses;
};

// Ends `base` the day before `from` (or drops it when it starts on or after
// `from`); says what it did in `effects`. Returns false when `base` is not in
// force on or after `from` (nothing to end).
bool end_before(std::vector<RuleVersion>& versions, std::size_t index, Date from, const std::string& why,
                std::vector<std::string>& effects) {
  RuleVersion& base = versions[index];
  if (base.effective_to && *base.effective_to < from) return false;
  if (base.effective_from >= from) {
    effects.push_back(base.id + " (from " + base.effective_from.str() + ") removed: " + why);
    versions.erase(versions.begin() + static_cast<std::ptrdiff_t>(index));
    return true;
  }
  base.effective_to = from.prev_day();
  base.scenario_effect = "ends " + from.prev_day().str() + ": " + why;
  effects.push_back(base.id + " " + base.scenario_effect);
  return true;
}

// Applies one scenario version to the folder's versions: it supersedes its
// own family from its effective date, and ends what it lifts.
void apply_scenario(Loaded& out, const RuleVersion& s, const Report& report) {
  const auto base_matches = [&](const RuleVersion& b, const std::string& name) {
    return !b.hypothetical && (b.kind == "classification" || b.kind == "license") &&
           (b.id == name || b.family == name);
  };
  if (s.kind == "classification" || s.kind == "license")
    for (std::size_t i = out.versions.size(); i-- > 0;) {
      const RuleVersion& b = out.versions[i];
      if (!b.hypothetical && b.kind == s.kind && b.family == s.family)
        end_before(out.versions, i, s.effective_from, "superseded by scenario " + s.id, out.scenario_effects);
    }
  for (const auto& name : s.lifts) {
    bool named = false;
    for (std::size_t i = out.versions.size(); i-- > 0;) {
      if (!base_matches(out.versions[i], name)) continue;
      named = true;
      end_before(out.versions, i, s.effective_from, "lifted by scenario " + s.id, out.scenario_effects);
    }
    if (!named)
      report(location(s.file, s.line),
             "field 'lifts': '" + name + "' names no classification or license rule id or family");
  }
}

// One loader for `load` (report throws) and `validate` (report collects).
void load_folder(const fs::path& dir, const std::vector<fs::path>& scenarios, Loaded& out,
                 const Report& report) {
  std::vector<std::pair<fs::path, YAML::Node>> docs;
  for (const auto& file : rule_files(dir)) {
    try {
      docs.emplace_back(file, YAML::LoadFile(file.string()));
    } catch (const YAML::Exception& e) {
      report(location(file.string(), e.mark.line + 1), "YAML syntax: " + e.msg);
    }
  }
  auto kind_of = [](const YAML::Node& root) -> std::string {
    if (!root.IsMap() || !root["kind"].IsDefined() || !root["kind"].IsScalar()) return {};
    return root["kind"].Scalar();
  };
  // Country groups first: their names are the sets license conditions may use.
  bool have_groups = false;
  for (const auto& [file, root] : docs) {
    if (kind_of(root) != "country_groups") continue;
    try {
      FileParser parser(file.string());
      RuleVersion v = parser.version(root, nullptr);
      if (have_groups)
        throw InputError(location(file.string(), v.line), "only one country_groups file is allowed");
      out.groups_data = parser.country_groups(root, v);
      build_country_groups(out.groups, out.groups_data);
      have_groups = true;
      out.versions.push_back(std::move(v));
    } catch (const InputError& e) {
      report(e.where(), e.message());
    } catch (const YAML::Exception& e) {
      report(location(file.string(), e.mark.line + 1), "malformed rule file: " + e.msg);
    }
  }
  const Schema schema = transaction_schema(out.groups.group_names());
  bool have_metrics = false;
  for (const auto& [file, root] : docs) {
    if (kind_of(root) == "country_groups") continue;
    try {
      const FileParser parser(file.string(), &schema);
      RuleVersion v = parser.version(root, have_metrics ? nullptr : &out.metrics);
      if (v.kind == "metrics") have_metrics = true;
      if (v.kind == "dataset") out.end_uses = parser.end_uses(root);
      out.versions.push_back(std::move(v));
    } catch (const InputError& e) {
      report(e.where(), e.message());
    }
  }
  if (!have_metrics) report(dir.string(), "no metrics file (kind: metrics) defines precision bit lengths");
  bool overridden = false;
  for (const auto& file : scenarios) {
    try {
      const YAML::Node root = YAML::LoadFile(file.string());
      const FileParser parser(file.string(), &schema, /*scenario=*/true);
      RuleVersion v = parser.version(root, nullptr);
      if (v.kind == "country_group_changes") {
        for (auto& o : parser.country_overrides(root, v, out.groups)) out.groups_data.overrides.push_back(o);
        overridden = true;
      }
      apply_scenario(out, v, report);
      out.versions.push_back(std::move(v));
    } catch (const InputError& e) {
      report(e.where(), e.message());
    } catch (const YAML::BadFile&) {
      report(file.string(), "cannot read scenario file");
    } catch (const YAML::Exception& e) {
      report(location(file.string(), e.mark.line + 1), "YAML syntax: " + e.msg);
    }
  }
  if (overridden) build_country_groups(out.groups, out.groups_data);
  cross_checks(out.versions, [&](const RuleVersion& v, const std::string& message) {
    report(location(v.file, v.line), message);
  });
}

}  // namespace

RuleSet RuleSet::load(const fs::path& dir, const std::vector<fs::path>& scenarios) {
  Loaded loaded;
  load_folder(dir, scenarios, loaded,
              [](const std::string& where, const std::string& message) { throw InputError(where, message); });
  RuleSet set;
  set.directory_ = dir;
  set.versions_ = std::move(loaded.versions);
  set.scenario_effects_ = std::move(loaded.scenario_effects);
  set.metrics_ = std::move(loaded.metrics);
  set.groups_ = std::move(loaded.groups);
  set.end_uses_ = std::move(loaded.end_uses);
  return set;
}

std::vector<LoadProblem> RuleSet::validate(const fs::path& dir, const std::vector<fs::path>& scenarios) {
  std::vector<LoadProblem> problems;
  Loaded loaded;
  try {
    load_folder(dir, scenarios, loaded, [&](const std::string& where, const std::string& message) {
      problems.push_back({where, message});
    });
  } catch (const InputError& e) {  // the folder itself is unreadable
    problems.push_back({e.where(), e.message()});
  }
  return problems;
}

RuleVersion RuleSet::parse_version(std::string_view yaml_text, const std::string& source, bool scenario) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    throw InputError(location(source, e.mark.line + 1), "YAML syntax: " + e.msg);
  }
  MetricDefinitions metrics;
  return FileParser(source, nullptr, scenario).version(root, scenario ? nullptr : &metrics);
}

}  // namespace exportctl::rules
