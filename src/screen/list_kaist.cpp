// The KAIST compilation of export-control lists (JSON).

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "core/error.h"

#include "screen/list_formats.h"

namespace exportctl::screen::formats {

// -------------------------------------------------------- KAIST compilation

struct KaistList {
  const char* id;
  const char* code;
  const char* source;
};
constexpr KaistList kKaistLists[] = {
    {"us-bis-entity-list", "EL", "Entity List (EL) - Bureau of Industry and Security"},
    {"us-bis-military-end-user-list", "MEU",
     "Military End User (MEU) List - Bureau of Industry and Security"},
    {"us-ofac-ns-cmic", "CMIC",
     "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department"},
    {"us-dod-section-1260h", "1260H", "Chinese Military Companies (Section 1260H) - Department of Defense"},
    {"us-dod-section-1286", "1286", "Section 1286 List - Department of Defense"},
    {"us-dhs-uflpa", "UFLPA", "UFLPA Entity List - Department of Homeland Security"},
    {"jp-meti-end-user-list", "METI", "End User List (METI) - Japan Ministry of Economy, Trade and Industry"},
    {"ca-ised-named-research-organizations", "NRO",
     "Named Research Organizations (NRO) - Innovation, Science and Economic Development Canada"},
};

// The compilation writes countries in Korean: data/vocab/korean_countries.yaml.
const std::map<std::string, std::string>& korean_countries() {
  static const std::map<std::string, std::string> m = [] {
    const std::filesystem::path file = bundled_vocab_dir() / "korean_countries.yaml";
    std::map<std::string, std::string> out;
    try {
      for (const auto& kv : YAML::LoadFile(file.string())["countries"])
        out.emplace(kv.first.as<std::string>(), kv.second.as<std::string>());
    } catch (const YAML::Exception& e) {
      throw InputError(file.string(), std::string("cannot read the Korean country names: ") + e.what());
    }
    return out;
  }();
  return m;
}

std::vector<Entry> parse_kaist(const json& records, const std::string& name) {
  std::vector<Entry> out;
  std::size_t index = 0;
  for (const auto& r : records) {
    ++index;
    const std::string where = name + ": record " + std::to_string(index);
    if (!r.is_object() || !r.contains("name") || !r["name"].is_object())
      throw InputError(where, "field 'name' must be an object with 'english'");
    Entry e;
    e.origin = where;
    const json& src = r.contains("source") ? r["source"] : json::object();
    const std::string list_id = json_string(src, "list_id");
    e.source = json_string(src, "list_name");
    for (const auto& l : kKaistLists)
      if (list_id == l.id) {
        e.source_code = l.code;
        e.source = l.source;
      }
    e.id = json_string(r, "id");
    if (e.id.empty()) e.id = list_id + ":" + json_string(src, "source_row");
    e.name = clean_name(json_string(r["name"], "english"));
    const std::string native = json_string(r["name"], "native");
    if (e.name.empty()) e.name = native;
    if (e.name.empty()) throw InputError(where, "field 'name.english' is empty");
    e.alt_names = json_strings(r, "aliases");
    // The native-script name is METI's own on its rows, and a checked legal
    // name on the DoD rows; on the Entity List and CMIC rows it is the
    // compiler's brand tag (华为 on every Huawei affiliate): keep it as a remark.
    if (!native.empty()) {
      const bool trusted = e.source_code == "METI" || e.source_code == "1260H" || e.source_code == "1286";
      if (!trusted)
        e.remarks = "native-script tag from the compilation (not an official name): " + native;
      else
        e.alt_names.push_back(native);
    }
    if (r.contains("countries") && r["countries"].is_array())
      for (const auto& c : r["countries"]) {
        if (!c.is_string()) continue;
        std::string all = c.get<std::string>();
        std::stringstream parts(all);
        std::string part;
        while (std::getline(parts, part, '/'))
          if (auto it = korean_countries().find(trim(part)); it != korean_countries().end())
            if (std::find(e.countries.begin(), e.countries.end(), it->second) == e.countries.end())
              e.countries.push_back(it->second);
      }
    e.source_list_url = json_string(src, "official_source_url");
    if (!e.remarks.empty() || !json_string(r, "remarks").empty())
      e.remarks += (e.remarks.empty() ? "" : "; ") + json_string(r, "remarks");
    finish(e);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace exportctl::screen::formats
