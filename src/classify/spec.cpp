// Parsing of item spec files (JSON or YAML) into ItemSpec, with errors that
// name the file and the JSON path of the offending field.

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "classify/classify.h"
#include "core/error.h"
#include "core/json.h"
#include "core/utf8.h"

namespace exportctl::classify {

using nlohmann::json;

namespace {

// YAML -> JSON so that both formats share one validator. Scalars that look
// like numbers or booleans become numbers or booleans.
json yaml_to_json(const YAML::Node& node, const std::string& source, int depth = 0) {
  if (depth > kMaxJsonDepth)
    throw InputError(location(source, node.Mark().line + 1),
                     "YAML nested more than " + std::to_string(kMaxJsonDepth) + " levels deep");
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) {
        if (!is_valid_utf8(kv.first.Scalar()))
          throw InputError(location(source, kv.first.Mark().line + 1), "YAML key is not valid UTF-8");
        out[kv.first.Scalar()] = yaml_to_json(kv.second, source, depth + 1);
      }
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(yaml_to_json(item, source, depth + 1));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (!is_valid_utf8(s))
        throw InputError(location(source, node.Mark().line + 1), "YAML text is not valid UTF-8");
      if (node.Tag() == "!") return s;  // quoted
      if (s == "true" || s == "True") return true;
      if (s == "false" || s == "False") return false;
      if (s == "null" || s == "~") return nullptr;
      double d = 0;
      std::istringstream in(s);
      in >> d;
      if (in && in.eof() && !s.empty()) return d;
      return s;
    }
    default:
      return nullptr;
  }
}

class SpecReader {
 public:
  SpecReader(std::string source, const rules::MetricDefinitions& metrics)
      : source_(std::move(source)), metrics_(metrics) {}

  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    throw InputError(source_, "field '" + path + "': " + message);
  }

  double number(const json& v, const std::string& path, bool positive) const {
    if (!v.is_number()) fail(path, "must be a number, got " + std::string(v.type_name()));
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(path, "must be a finite number");
    if (d < 0) fail(path, "must not be negative");
    if (positive && d == 0) fail(path, "must be greater than zero");
    return d;
  }
  std::optional<double> optional_number(const json& obj, const std::string& key, bool positive) const {
    if (!obj.contains(key) || obj[key].is_null()) return std::nullopt;
    return number(obj[key], key, positive);
  }
  bool boolean(const json& v, const std::string& path) const {
    if (!v.is_boolean()) fail(path, "must be true or false, got " + std::string(v.type_name()));
    return v.get<bool>();
  }
  std::string text(const json& v, const std::string& path) const {
    if (!v.is_string()) fail(path, "must be a string, got " + std::string(v.type_name()));
    return v.get<std::string>();
  }

  ProcessingUnit unit(const json& tops, const std::string& path) const {
    if (!tops.is_object()) fail(path, "must be an object of precision name -> dense TOPS");
    ProcessingUnit u;
    for (const auto& [precision, value] : tops.items()) {
      if (!metrics_.find(precision)) {
        std::string known;
        for (const auto& p : metrics_.precisions) known += (known.empty() ? "" : ", ") + p.name;
        fail(path + "." + precision, "unknown precision (known: " + known + ")");
      }
      u.dense_tops.emplace_back(precision, number(value, path + "." + precision, false));
    }
    return u;
  }

  ItemSpec read(const json& doc) const {
    if (!doc.is_object()) fail("$", "a spec must be a JSON object");
    static const std::set<std::string> known = {"name",
                                                "kind",
                                                "datacenter",
                                                "dense_tops",
                                                "units",
                                                "logic_dies",
                                                "memory_bandwidth_gbps",
                                                "io_bandwidth_gbps",
                                                "memory_package_area_mm2",
                                                "hbm",
                                                "vendor",
                                                "designer_country",
                                                "eccn",
                                                "notes"};
    for (const auto& [key, value] : doc.items())
      if (!known.count(key)) fail(key, "unknown field");
    for (const char* key : {"name", "kind", "datacenter"})
      if (!doc.contains(key) || doc[key].is_null()) fail(key, "is required");
    if (!doc.contains("dense_tops") && !doc.contains("units"))
      fail("dense_tops", "is required (use {} for an item without processing units)");
    if (doc.contains("dense_tops") && doc.contains("units"))
      fail("units", "give either dense_tops or units, not both");

    ItemSpec spec;
    spec.name = text(doc["name"], "name");
    if (spec.name.empty()) fail("name", "must not be empty");
    const std::string kind = text(doc["kind"], "kind");
    if (kind == "ic") {
      spec.kind = ItemKind::IC;
    } else if (kind == "computer") {
      spec.kind = ItemKind::Computer;
    } else {
      fail("kind", "must be \"ic\" or \"computer\", got \"" + kind + "\"");
    }
    spec.datacenter = boolean(doc["datacenter"], "datacenter");
    if (doc.contains("dense_tops")) {
      ProcessingUnit u = unit(doc["dense_tops"], "dense_tops");
      if (u.dense_tops.empty())
        spec.has_processing_units = false;
      else
        spec.units.push_back(std::move(u));
    } else {
      const json& units = doc["units"];
      if (!units.is_array()) fail("units", "must be a list of {\"dense_tops\": {...}}");
      for (std::size_t i = 0; i < units.size(); ++i) {
        const std::string path = "units[" + std::to_string(i) + "]";
        if (!units[i].is_object() || !units[i].contains("dense_tops") || units[i].size() != 1)
          fail(path, "must be an object with only dense_tops");
        spec.units.push_back(unit(units[i]["dense_tops"], path + ".dense_tops"));
      }
      if (spec.units.empty()) spec.has_processing_units = false;
    }
    if (doc.contains("logic_dies") && !doc["logic_dies"].is_null()) {
      const json& dies = doc["logic_dies"];
      if (!dies.is_array()) fail("logic_dies", "must be a list of {\"area_mm2\": N, \"nonplanar\": bool}");
      for (std::size_t i = 0; i < dies.size(); ++i) {
        const std::string path = "logic_dies[" + std::to_string(i) + "]";
        const json& d = dies[i];
        if (!d.is_object()) fail(path, "must be an object");
        for (const auto& [key, value] : d.items())
          if (key != "area_mm2" && key != "nonplanar") fail(path + "." + key, "unknown field");
        if (!d.contains("area_mm2")) fail(path + ".area_mm2", "is required");
        if (!d.contains("nonplanar")) fail(path + ".nonplanar", "is required (FinFET/GAA: true)");
        spec.logic_dies.push_back(
            {number(d["area_mm2"], path + ".area_mm2", true), boolean(d["nonplanar"], path + ".nonplanar")});
      }
    }
    spec.memory_bandwidth_gbps = optional_number(doc, "memory_bandwidth_gbps", false);
    spec.io_bandwidth_gbps = optional_number(doc, "io_bandwidth_gbps", false);
    spec.memory_package_area_mm2 = optional_number(doc, "memory_package_area_mm2", true);
    if (doc.contains("hbm") && !doc["hbm"].is_null()) spec.hbm = boolean(doc["hbm"], "hbm");
    if (doc.contains("vendor") && !doc["vendor"].is_null()) spec.vendor = text(doc["vendor"], "vendor");
    if (doc.contains("designer_country") && !doc["designer_country"].is_null()) {
      spec.designer_country = text(doc["designer_country"], "designer_country");
      const auto& c = spec.designer_country;
      if (c.size() != 2 || !std::isupper(static_cast<unsigned char>(c[0])) ||
          !std::isupper(static_cast<unsigned char>(c[1])))
        fail("designer_country", "must be an ISO 3166 alpha-2 code such as \"CN\"");
    }
    if (doc.contains("eccn") && !doc["eccn"].is_null()) {
      // The base ECCN: "3A991.p" is read as 3A991; 3A090/4A090 come from the figures, not from here.
      std::string e = text(doc["eccn"], "eccn");
      for (char& ch : e) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      const bool ear99 = e == "EAR99";
      const bool base = e.size() >= 5 && std::isdigit(static_cast<unsigned char>(e[0])) && e[1] >= 'A' &&
                        e[1] <= 'E' && std::isdigit(static_cast<unsigned char>(e[2])) &&
                        std::isdigit(static_cast<unsigned char>(e[3])) &&
                        std::isdigit(static_cast<unsigned char>(e[4])) && (e.size() == 5 || e[5] == '.');
      if (!ear99 && !base) fail("eccn", "must be an ECCN such as \"3A991\" or \"5A992.c\", or \"EAR99\"");
      if (!ear99) e = e.substr(0, 5);
      if (e == "3A090" || e == "4A090")
        fail("eccn", "3A090/4A090 are decided from the item's figures; give the ECCN the item has otherwise");
      spec.other_eccn = e;
    }
    return spec;
  }

 private:
  std::string source_;
  const rules::MetricDefinitions& metrics_;
};

}  // namespace

ItemSpec parse_spec(std::string_view text, const std::string& source, bool yaml,
                    const rules::MetricDefinitions& metrics) {
  json doc;
  if (yaml) {
    try {
      doc = yaml_to_json(YAML::Load(std::string(text)), source);
    } catch (const YAML::Exception& e) {
      throw InputError(location(source, e.mark.line + 1), "YAML syntax: " + e.msg);
    }
  } else {
    doc = parse_json(text, source);
  }
  return SpecReader(source, metrics).read(doc);
}

ItemSpec load_spec_file(const std::string& path, const rules::MetricDefinitions& metrics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open spec file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const bool yaml = path.size() > 5 && (path.ends_with(".yaml") || path.ends_with(".yml"));
  return parse_spec(buffer.str(), path, yaml, metrics);
}

}  // namespace exportctl::classify

namespace exportctl::classify {

std::string spec_field_for_input(std::string_view input) {
  static const std::pair<std::string_view, std::string_view> fields[] = {
      {"tpp", "dense_tops"},
      {"pd", "logic_dies (area of non-planar logic dies)"},
      {"io_bw", "io_bandwidth_gbps"},
      {"mem_bw", "memory_bandwidth_gbps"},
      {"mbd", "memory_bandwidth_gbps and memory_package_area_mm2"},
      {"datacenter", "datacenter"},
      {"hbm", "hbm"},
      {"vendor", "vendor"},
      {"designer_country", "designer_country"},
      {"other_eccn", "eccn (the item's ECCN outside 3A090/4A090, e.g. 3A991 or EAR99)"},
  };
  for (const auto& [name, field] : fields)
    if (name == input) return std::string(field);
  return std::string(input);
}

}  // namespace exportctl::classify
