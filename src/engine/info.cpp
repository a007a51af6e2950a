// Listings (chips, rules) and list-snapshot administration, as JSON.

#include <algorithm>
#include <tuple>

#include "core/error.h"
#include "engine/engine.h"
#include "screen/screen.h"

namespace exportctl::engine {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json chip_summary(const catalog::Chip& chip) {
  return {{"id", chip.id},
          {"vendor", chip.spec.vendor},
          {"name", chip.field("name")},
          {"market", chip.market},
          {"datacenter", chip.spec.datacenter ? json(*chip.spec.datacenter) : json(nullptr)},
          {"designer_country", chip.spec.designer_country},
          {"computed_tpp", chip.field("computed_tpp")},
          {"memory_bw_gbps", chip.field("memory_bw_gbps")}};
}

}  // namespace

json chips_json(const Snapshot& snapshot) {
  json rows = json::array();
  for (const auto& c : snapshot.catalog().chips()) rows.push_back(chip_summary(c));
  return rows;
}

json chip_json(const Snapshot& snapshot, const std::string& id) {
  const catalog::Chip* chip = snapshot.catalog().find(id);
  if (!chip) {
    std::string hint;
    for (const auto& s : snapshot.catalog().suggestions(id)) hint += (hint.empty() ? "" : ", ") + s;
    throw InputError("chip", "unknown chip id '" + id + "'" +
                                 (hint.empty() ? " (see the chip list)" : " (did you mean: " + hint + "?)"));
  }
  json j = chip_summary(*chip);
  json fields = json::object(), order = json::array();
  for (const auto& [key, value] : chip->fields)
    if (key != "sources") {
      fields[key] = value;
      order.push_back(key);
    }
  j["fields"] = std::move(fields);
  j["field_order"] = std::move(order);  // the catalog's column order, for display
  j["sources"] = chip->sources;
  json derived = json::object();
  for (const auto& [field, how] : chip->derived) derived[field] = how;
  j["derived"] = std::move(derived);
  return j;
}

json rules_json(const Snapshot& snapshot, const std::string& date_text) {
  const rules::RuleSet& rules = snapshot.rules();
  std::optional<Date> date;
  if (!date_text.empty()) date = parse_date(snapshot, date_text);
  std::vector<const rules::RuleVersion*> ordered;
  for (const auto& v : rules.versions()) ordered.push_back(&v);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return std::tie(a->kind, a->effective_from, a->id) < std::tie(b->kind, b->effective_from, b->id);
  });
  json rows = json::array();
  for (const auto* v : ordered) {
    if (date && !v->in_force(*date)) continue;
    rows.push_back({{"id", v->id},
                    {"kind", v->kind},
                    {"family", v->family},
                    {"title", v->title},
                    {"effective_from", v->effective_from.str()},
                    {"effective_to", v->effective_to ? json(v->effective_to->str()) : json(nullptr)},
                    {"status", v->status},
                    {"evidence", std::string(rules::to_string(v->evidence))},
                    {"citation", classify::to_json(v->citation)},
                    {"file", v->file}});
  }
  return {{"date", date ? json(date->str()) : json(nullptr)},
          {"rules_dir", rules.directory().string()},
          {"versions", snapshot.versions_json()},
          {"rules", std::move(rows)}};
}

json validate_rules(const std::string& dir, const std::vector<std::string>& scenarios) {
  const std::vector<std::filesystem::path> files(scenarios.begin(), scenarios.end());
  const auto problems = rules::RuleSet::validate(dir, files);
  json list = json::array();
  for (const auto& p : problems) list.push_back({{"where", p.where}, {"message", p.message}});
  json j{{"dir", dir}, {"ok", problems.empty()}, {"problems", list}};
  if (!scenarios.empty()) j["scenarios"] = scenarios;
  if (problems.empty()) {
    const rules::RuleSet set = rules::RuleSet::load(dir, files);
    j["rule_versions"] = set.versions().size();
    if (!scenarios.empty()) j["scenario_effects"] = set.scenario_effects();
  }
  return j;
}

// ---------------------------------------------------------------- list snapshots

namespace {

json snapshot_json(const screen::ListSnapshot& snap) {
  json files = json::array();
  for (const auto& f : snap.files)
    files.push_back({{"file", f.file}, {"format", f.format}, {"rows", f.rows}, {"sha256", f.sha256}});
  return {{"version", snap.version}, {"entries", snap.entries.size()}, {"files", std::move(files)}};
}

screen::SnapshotStore store_of(const Config& config) {
  return screen::SnapshotStore(resolve_data_dir(config.data_dir));
}

}  // namespace

json lists_import(const Config& config, const std::vector<std::string>& files) {
  std::vector<fs::path> paths(files.begin(), files.end());
  auto store = store_of(config);
  json j = snapshot_json(store.import_files(paths));
  j["store"] = (store.dir() / "lists").string();
  return j;
}

json lists_fetch(const Config& config, const std::string& url, const std::string& sha256) {
  const std::string source = url.empty() ? screen::kDefaultCslUrl : url;
  const std::string body = screen::http_get(source);
  std::string file = source.substr(source.find_last_of('/') + 1);
  if (const auto q = file.find('?'); q != std::string::npos) file = file.substr(0, q);
  if (file.empty() || file.find('.') == std::string::npos) file = "consolidated.csv";
  auto store = store_of(config);
  json j = snapshot_json(store.import_bytes(body, file, sha256));
  j["url"] = source;
  j["bytes"] = body.size();
  j["sha256"] = sha256_hex(body);
  return j;
}

json lists_diff(const Config& config, const std::string& before_name, const std::string& after_name) {
  const auto store = store_of(config);
  const auto before = store.load(before_name);
  const auto after = store.load(after_name);
  json added = json::array(), removed = json::array(), changed = json::array();
  for (const auto& c : screen::diff_snapshots(before, after)) {
    if (!c.before)
      added.push_back({{"entry", c.after->key()}, {"name", c.after->name}});
    else if (!c.after)
      removed.push_back({{"entry", c.before->key()}, {"name", c.before->name}});
    else
      changed.push_back({{"entry", c.after->key()}, {"name", c.after->name}, {"fields", c.fields}});
  }
  return {{"before", before.version},
          {"after", after.version},
          {"added", std::move(added)},
          {"removed", std::move(removed)},
          {"changed", std::move(changed)}};
}

json lists_status(const Config& config) {
  const auto store = store_of(config);
  const auto current = store.current();
  const auto snap = store.current_or_bundled();
  json j = snapshot_json(*snap);
  j["bundled"] = !current.has_value();
  j["stored_versions"] = store.versions();
  return j;
}

}  // namespace exportctl::engine
