// exportctl rules list / validate.

#include <sstream>

#include "cli/commands.h"
#include "core/json.h"
#include "cli/table.h"

namespace exportctl::cli {

using nlohmann::json;

int rules_list(App& app, const std::string& date, bool as_json, std::ostream& out) {
  const json doc = engine::rules_json(*app.snapshot(false), date);
  std::ostringstream buffer;
  if (as_json) {
    buffer << dump_json(doc, 2) << "\n";
  } else {
    const auto& rows = doc["rules"];
    if (!doc["date"].is_null())
      buffer << "Rules in force on " << doc["date"].get<std::string>() << " (" << rows.size() << "):\n";
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
  return kExitOk;
}

int rules_validate(const std::string& dir, const std::vector<std::string>& scenarios, bool as_json,
                   std::ostream& out) {
  const json result = engine::validate_rules(dir, scenarios);
  std::ostringstream buffer;
  if (as_json) {
    buffer << dump_json(result, 2) << "\n";
  } else if (result["ok"].get<bool>()) {
    buffer << "OK: " << result["rule_versions"].get<std::size_t>() << " rule versions in " << dir;
    if (!scenarios.empty()) buffer << " with " << scenarios.size() << " scenario file(s)";
    buffer << "\n";
    if (result.contains("scenario_effects"))
      for (const auto& e : result["scenario_effects"]) buffer << "  " << e.get<std::string>() << "\n";
  } else {
    for (const auto& p : result["problems"])
      buffer << p["where"].get<std::string>() << ": " << p["message"].get<std::string>() << "\n";
    buffer << result["problems"].size() << " problem(s) in " << dir << "\n";
  }
  out << buffer.str();
  return result["ok"].get<bool>() ? kExitOk : kExitBadInput;
}

}  // namespace exportctl::cli
