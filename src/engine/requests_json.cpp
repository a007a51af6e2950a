// The JSON API's request objects, to and from the request structs.

#include <set>

#include "core/error.h"
#include "engine/engine.h"

namespace exportctl::engine {

using nlohmann::json;

namespace {

void only_keys(const json& body, const std::set<std::string>& known) {
  if (!body.is_object()) throw InputError("", "the request body must be a JSON object");
  for (const auto& [key, value] : body.items())
    if (!known.count(key)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw InputError(key, "unknown field (known: " + list + ")");
    }
}

std::string text(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return {};
  if (!body[key].is_string()) throw InputError(key, "must be a string");
  return body[key].get<std::string>();
}

bool flag(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return false;
  if (!body[key].is_boolean()) throw InputError(key, "must be true or false");
  return body[key].get<bool>();
}

Item item(const Snapshot& snapshot, const json& body) {
  Item item;
  item.chip = text(body, "chip");
  if (body.contains("spec") && !body["spec"].is_null())
    item.spec = parse_spec(snapshot, body["spec"], "spec");
  return item;
}

json item_json(const Item& item) {
  if (!item.chip.empty()) return {{"chip", item.chip}};
  json spec = json::object();
  if (item.spec) {
    const auto& s = *item.spec;
    spec["name"] = s.name;
    spec["kind"] = s.kind == classify::ItemKind::IC ? "ic" : "computer";
    if (s.datacenter) spec["datacenter"] = *s.datacenter;
    json units = json::array();
    for (const auto& u : s.units) {
      json tops = json::object();
      for (const auto& [precision, value] : u.dense_tops) tops[precision] = value;
      units.push_back({{"dense_tops", tops}});
    }
    spec["units"] = units;
    json dies = json::array();
    for (const auto& d : s.logic_dies) dies.push_back({{"area_mm2", d.area_mm2}, {"nonplanar", d.nonplanar}});
    spec["logic_dies"] = dies;
    if (s.memory_bandwidth_gbps) spec["memory_bandwidth_gbps"] = *s.memory_bandwidth_gbps;
    if (s.io_bandwidth_gbps) spec["io_bandwidth_gbps"] = *s.io_bandwidth_gbps;
    if (s.memory_package_area_mm2) spec["memory_package_area_mm2"] = *s.memory_package_area_mm2;
    if (s.hbm) spec["hbm"] = *s.hbm;
    if (!s.vendor.empty()) spec["vendor"] = s.vendor;
    if (!s.designer_country.empty()) spec["designer_country"] = s.designer_country;
    if (!s.other_eccn.empty()) spec["eccn"] = s.other_eccn;
  }
  return {{"spec", spec}};
}

}  // namespace

ClassifyRequest classify_request(const Snapshot& snapshot, const json& body) {
  only_keys(body, {"chip", "spec", "date", "timeline"});
  return {item(snapshot, body), text(body, "date"), flag(body, "timeline")};
}

CheckRequest check_request(const Snapshot& snapshot, const json& body) {
  only_keys(body, {"chip", "spec", "to", "hq", "date", "party", "owners", "end_use", "export_from",
                   "timeline", "apply_ai_diffusion"});
  CheckRequest r;
  r.item = item(snapshot, body);
  r.to = text(body, "to");
  r.hq = text(body, "hq");
  r.date = text(body, "date");
  if (const std::string e = text(body, "end_use"); !e.empty()) r.end_use = e;
  if (const std::string e = text(body, "export_from"); !e.empty()) r.export_from = e;
  r.timeline = flag(body, "timeline");
  r.apply_ai_diffusion = flag(body, "apply_ai_diffusion");
  if (body.contains("party") && !body["party"].is_null()) {
    const json& parties = body["party"];
    if (parties.is_string()) {
      r.parties.push_back(parties.get<std::string>());
    } else if (parties.is_array()) {
      for (std::size_t i = 0; i < parties.size(); ++i) {
        if (!parties[i].is_string()) throw InputError("party[" + std::to_string(i) + "]", "must be a string");
        r.parties.push_back(parties[i].get<std::string>());
      }
    } else {
      throw InputError("party", "must be a name or a list of names");
    }
  }
  if (body.contains("owners") && !body["owners"].is_null()) {
    const json& owners = body["owners"];
    if (!owners.is_array())
      throw InputError("owners", "must be a list of {\"name\", \"percent\"} or \"NAME=PERCENT\"");
    for (std::size_t i = 0; i < owners.size(); ++i) {
      const std::string path = "owners[" + std::to_string(i) + "]";
      if (owners[i].is_string()) {
        r.owners.push_back(parse_owner(owners[i].get<std::string>(), path));
        continue;
      }
      if (!owners[i].is_object() || !owners[i].contains("name") || !owners[i]["name"].is_string())
        throw InputError(path + ".name", "must be a string");
      if (!owners[i].contains("percent") || !owners[i]["percent"].is_number())
        throw InputError(path + ".percent", "must be a number");
      r.owners.push_back({owners[i]["name"].get<std::string>(), owners[i]["percent"].get<double>()});
    }
  }
  return r;
}

ScreenRequest screen_request(const json& body) {
  only_keys(body, {"name", "country", "threshold", "limit"});
  ScreenRequest r;
  if (!body.contains("name") || !body["name"].is_string()) throw InputError("name", "is required: a string");
  r.name = body["name"].get<std::string>();
  r.country = text(body, "country");
  if (body.contains("threshold") && !body["threshold"].is_null()) {
    if (!body["threshold"].is_number()) throw InputError("threshold", "must be a number between 0 and 1");
    r.threshold = body["threshold"].get<double>();
  }
  if (body.contains("limit") && !body["limit"].is_null()) {
    if (!body["limit"].is_number_unsigned() || body["limit"].get<std::uint64_t>() > 1000)
      throw InputError("limit", "must be a whole number from 1 to 1000");
    r.limit = body["limit"].get<std::size_t>();
  }
  return r;
}

json to_json(const ClassifyRequest& r) {
  json j = item_json(r.item);
  j["date"] = r.date;
  if (r.timeline) j["timeline"] = true;
  return j;
}

json to_json(const CheckRequest& r) {
  json j = item_json(r.item);
  j["to"] = r.to;
  if (!r.hq.empty()) j["hq"] = r.hq;
  j["date"] = r.date;
  j["export_from"] = r.export_from;
  j["end_use"] = r.end_use;
  if (!r.parties.empty()) j["party"] = r.parties;
  if (!r.owners.empty()) {
    json owners = json::array();
    for (const auto& o : r.owners) owners.push_back({{"name", o.name}, {"percent", o.percent}});
    j["owners"] = owners;
  }
  if (r.timeline) j["timeline"] = true;
  if (r.apply_ai_diffusion) j["apply_ai_diffusion"] = true;
  return j;
}

json to_json(const ScreenRequest& r) {
  json j{{"name", r.name}, {"limit", r.limit}};
  if (!r.country.empty()) j["country"] = r.country;
  if (r.threshold) j["threshold"] = *r.threshold;
  return j;
}

}  // namespace exportctl::engine
