#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/table.h"

namespace exportctl::cli {

using nlohmann::json;

namespace {

json chip_json(const catalog::Chip& chip, bool full) {
  json j{{"id", chip.id},
         {"vendor", chip.spec.vendor},
         {"name", chip.field("name")},
         {"market", chip.market},
         {"datacenter", chip.spec.datacenter ? json(*chip.spec.datacenter) : json(nullptr)},
         {"designer_country", chip.spec.designer_country}};
  if (full) {
    json fields = json::object();
    for (const auto& [key, value] : chip.fields)
      if (key != "sources") fields[key] = value;
    j["fields"] = fields;
    j["sources"] = chip.sources;
    json derived = json::object();
    for (const auto& [field, how] : chip.derived) derived[field] = how;
    j["derived"] = derived;
  }
  return j;
}

}  // namespace

int chips_list(App& app, bool as_json, std::ostream& out) {
  const auto& catalog = app.catalog();
  std::ostringstream buffer;
  if (as_json) {
    json rows = json::array();
    for (const auto& c : catalog.chips()) rows.push_back(chip_json(c, false));
    buffer << rows.dump(2) << "\n";
  } else {
    Table t({"id", "vendor", "name", "market", "computed_tpp", "memory_bw_gbps"});
    for (const auto& c : catalog.chips())
      t.add({c.id, c.spec.vendor, c.field("name"), c.market, c.field("computed_tpp"),
             c.field("memory_bw_gbps")});
    buffer << t.render() << catalog.chips().size()
           << " chips. Figures and sources: exportctl chips show ID\n";
  }
  out << buffer.str();
  return 0;
}

int chips_show(App& app, const std::string& id, bool as_json, std::ostream& out) {
  const catalog::Chip& chip = app.chip(id);
  std::ostringstream buffer;
  if (as_json) {
    buffer << chip_json(chip, true).dump(2) << "\n";
  } else {
    buffer << chip.id << "\n";
    for (const auto& [key, value] : chip.fields) {
      if (key == "sources" || key == "id" || value.empty()) continue;
      buffer << "  " << key << ": " << value << "\n";
    }
    for (const auto& [field, how] : chip.derived) buffer << "  " << field << " (derived): " << how << "\n";
    buffer << "  sources:\n";
    for (const auto& s : chip.sources) buffer << "    - " << s << "\n";
  }
  out << buffer.str();
  return 0;
}

}  // namespace exportctl::cli
