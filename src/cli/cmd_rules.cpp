#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>
#include <sstream>

#include "classify/classify.h"
#include "cli/commands.h"
#include "cli/table.h"

namespace exportctl::cli {

using nlohmann::json;

int rules_list(App& app, const std::string& date_text, bool as_json, std::ostream& out) {
  const rules::RuleSet& rules = app.rules();
  std::optional<Date> date;
  if (!date_text.empty()) date = app.parse_date(date_text);
  json rows = json::array();
  std::vector<const rules::RuleVersion*> ordered;
  for (const auto& v : rules.versions()) ordered.push_back(&v);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return std::tie(a->kind, a->effective_from, a->id) < std::tie(b->kind, b->effective_from, b->id);
  });
  for (const auto* vp : ordered) {
    const auto& v = *vp;
    if (date && !v.in_force(*date)) continue;
    rows.push_back({{"id", v.id},
                    {"kind", v.kind},
                    {"family", v.family},
                    {"title", v.title},
                    {"effective_from", v.effective_from.str()},
                    {"effective_to", v.effective_to ? json(v.effective_to->str()) : json(nullptr)},
                    {"status", v.status},
                    {"evidence", std::string(rules::to_string(v.evidence))},
                    {"citation", classify::to_json(v.citation)},
                    {"file", v.file}});
  }
  std::ostringstream buffer;
  if (as_json) {
    json doc{{"date", date ? json(date->str()) : json(nullptr)},
             {"rules_dir", rules.directory().string()},
             {"rules", rows}};
    buffer << doc.dump(2) << "\n";
  } else {
    if (date)
      buffer << "Rules in force on " << date->str() << " (" << rows.size() << "):\n";
    else
      buffer << "All rule versions (" << rows.size() << "):\n";
    Table t({"id", "kind", "from", "to", "status", "ev", "citation"});
    for (const auto& r : rows)
      t.add({r["id"], r["kind"], r["effective_from"],
             r["effective_to"].is_null() ? "-" : r["effective_to"].get<std::string>(), r["status"],
             r["evidence"], r["citation"]["text"]});
    buffer << t.render();
    buffer << "Evidence: P primary text, PQ primary text quoted by a third party, S secondary, D derived, U "
              "UNCONFIRMED.\n";
  }
  out << buffer.str();
  return 0;
}

int rules_validate(const std::string& dir, bool as_json, std::ostream& out) {
  const auto problems = rules::RuleSet::validate(dir);
  std::ostringstream buffer;
  if (as_json) {
    json list = json::array();
    for (const auto& p : problems) list.push_back({{"where", p.where}, {"message", p.message}});
    buffer << json{{"dir", dir}, {"ok", problems.empty()}, {"problems", list}}.dump(2) << "\n";
  } else if (problems.empty()) {
    const auto set = rules::RuleSet::load(dir);
    buffer << "OK: " << set.versions().size() << " rule versions in " << dir << "\n";
  } else {
    for (const auto& p : problems) buffer << p.where << ": " << p.message << "\n";
    buffer << problems.size() << " problem(s) in " << dir << "\n";
  }
  out << buffer.str();
  return problems.empty() ? 0 : 2;
}

}  // namespace exportctl::cli
