// The EL academic file: raw 15 CFR 744 Supp. No. 4 text with a Chinese sibling.

#include <algorithm>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"

#include "screen/list_formats.h"

namespace exportctl::screen::formats {

// -------------------------------------------------------- EL academic (raw 15 CFR 744 Supp. 4 text)

std::vector<std::string> aliases_from_raw(const std::string& raw) {
  // "X, a.k.a., the following one alias: —AMMS. 27 Taiping Road, ..."
  std::vector<std::string> out;
  const auto aka = raw.find("a.k.a.");
  if (aka == std::string::npos) return out;
  const std::string dash = "\xE2\x80\x94";  // em dash
  std::size_t pos = raw.find(dash, aka);
  while (pos != std::string::npos) {
    const std::size_t start = pos + dash.size();
    std::size_t end = raw.find_first_of(";", start);
    const std::size_t next_dash = raw.find(dash, start);
    std::size_t stop = raw.find(". ", start);
    if (end == std::string::npos || (stop != std::string::npos && stop < end)) end = stop;
    if (next_dash != std::string::npos && (end == std::string::npos || next_dash < end)) end = next_dash;
    std::string alias = trim(raw.substr(start, end == std::string::npos ? std::string::npos : end - start));
    while (!alias.empty() && (alias.back() == '.' || alias.back() == ';' || alias.back() == ','))
      alias = trim(alias.substr(0, alias.size() - 1));
    if (iequals_prefix(alias, "and ")) alias = trim(alias.substr(4));
    if (!alias.empty()) out.push_back(alias);
    if (end == std::string::npos || end == stop) break;
    pos = raw.find(dash, end);
    if (stop != std::string::npos && pos != std::string::npos && pos > stop) break;
  }
  return out;
}

std::vector<Entry> parse_el_academic(const json& doc, const std::string& name, const json* zh) {
  std::map<std::string, std::string> chinese;
  if (zh && zh->is_array())
    for (const auto& z : *zh)
      if (z.is_object()) chinese[json_string(z, "name")] = json_string(z, "zh");
  std::vector<Entry> out;
  std::size_t index = 0;
  for (const auto& r : doc["entries"]) {
    ++index;
    const std::string where = name + ": entry " + std::to_string(index);
    if (!r.is_object()) throw InputError(where, "expected an object");
    Entry e;
    e.origin = where;
    e.source = "Entity List (EL) - Bureau of Industry and Security";
    e.source_code = "EL";
    e.name = clean_name(json_string(r, "name"));
    if (e.name.empty()) throw InputError(where, "field 'name' is empty");
    e.id = "el-academic-" + short_hash(e.name);
    const std::string raw = json_string(r, "raw");
    e.alt_names = aliases_from_raw(raw);
    if (auto it = chinese.find(e.name); it != chinese.end() && !it->second.empty()) {
      e.alt_names.push_back(it->second);
      e.remarks = "Chinese name from the compilation's author (not an official rendering): " + it->second;
    }
    e.countries.push_back("CN");
    e.addresses.push_back({raw, "", "", "", "CN"});
    finish(e);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace exportctl::screen::formats
