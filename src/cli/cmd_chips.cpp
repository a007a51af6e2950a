// exportctl chips list / show.

#include <sstream>

#include "cli/commands.h"
#include "core/json.h"
#include "cli/table.h"

namespace exportctl::cli {

using nlohmann::json;

int chips_list(App& app, bool as_json, std::ostream& out) {
  const json rows = engine::chips_json(*app.snapshot(false));
  std::ostringstream buffer;
  if (as_json) {
    json brief = json::array();
    for (const auto& r : rows) {
      json b = r;
      b.erase("computed_tpp");
      b.erase("memory_bw_gbps");
      brief.push_back(std::move(b));
    }
    buffer << dump_json(brief, 2) << "\n";
  } else {
    Table t({"id", "vendor", "name", "market", "computed_tpp", "memory_bw_gbps"});
    for (const auto& c : rows)
      t.add({c["id"], c["vendor"], c["name"], c["market"], c["computed_tpp"], c["memory_bw_gbps"]});
    buffer << t.render() << rows.size() << " chips. Figures and sources: exportctl chips show ID\n";
  }
  out << buffer.str();
  return kExitOk;
}

int chips_show(App& app, const std::string& id, bool as_json, std::ostream& out) {
  json chip = engine::chip_json(*app.snapshot(false), id);
  std::ostringstream buffer;
  if (as_json) {
    chip.erase("computed_tpp");
    chip.erase("memory_bw_gbps");
    chip.erase("field_order");
    buffer << dump_json(chip, 2) << "\n";
  } else {
    buffer << chip["id"].get<std::string>() << "\n";
    for (const auto& k : chip["field_order"]) {
      const std::string key = k.get<std::string>();
      const std::string text = chip["fields"][key].get<std::string>();
      if (key == "id" || text.empty()) continue;
      buffer << "  " << key << ": " << text << "\n";
    }
    for (const auto& [field, how] : chip["derived"].items())
      buffer << "  " << field << " (derived): " << how.get<std::string>() << "\n";
    buffer << "  sources:\n";
    for (const auto& s : chip["sources"]) buffer << "    - " << s.get<std::string>() << "\n";
  }
  out << buffer.str();
  return kExitOk;
}

}  // namespace exportctl::cli
