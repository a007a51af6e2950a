// JSON form of a classification (the trace is data) and the text a person
// reads, rendered only from that JSON.

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "classify/classify.h"

namespace exportctl::classify {

using nlohmann::json;

namespace {

json number_or_null(const std::optional<double>& v) {
  if (!v) return nullptr;
  // Round to 4 decimals so 15831.999999 does not leak into reports.
  return std::round(*v * 10000.0) / 10000.0;
}

json value_json(const rules::TraceValue& v) {
  switch (v.kind) {
    case rules::Value::Kind::Number:
      return number_or_null(v.number);
    case rules::Value::Kind::Bool:
      return v.boolean;
    case rules::Value::Kind::String:
      return v.text;
    case rules::Value::Kind::Unknown:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

json to_json(const rules::Citation& c) {
  json out = json::object();
  if (!c.fr.empty()) out["fr"] = c.fr;
  if (!c.fr_doc.empty()) out["fr_doc"] = c.fr_doc;
  if (!c.cfr.empty()) out["cfr"] = c.cfr;
  if (!c.url.empty()) out["url"] = c.url;
  if (!c.published.empty()) out["published"] = c.published;
  if (!c.note.empty()) out["note"] = c.note;
  out["text"] = c.short_text();
  return out;
}

json to_json(const std::vector<rules::Comparison>& comparisons) {
  // Built key by key: a braced {{key, value}, ...} list first makes each pair
  // a two-element array, and traces are on the server's hot path.
  json out = json::array();
  auto& items = out.get_ref<json::array_t&>();
  items.reserve(comparisons.size());
  for (const auto& c : comparisons) {
    json x = json::object();
    x["test"] = c.test;
    x["left"] = c.left;
    x["left_value"] = value_json(c.left_value);
    x["op"] = c.op;
    x["right"] = c.right;
    x["right_value"] = value_json(c.right_value);
    x["result"] = std::string(rules::to_string(c.result));
    if (!c.sets.empty()) {
      json sets = json::array();
      for (const auto& t : c.sets) {
        json set = json::object();
        set["set"] = t.set;
        set["member"] = t.member;
        set["subtracted"] = t.subtracted;
        sets.push_back(std::move(set));
      }
      x["sets"] = std::move(sets);
    }
    items.push_back(std::move(x));
  }
  return out;
}

json to_json(const std::vector<NeededTest>& needed) {
  json out = json::array();
  for (const auto& n : needed)
    out.push_back({{"input", n.input},
                   {"field", spec_field_for_input(n.input)},
                   {"rule", n.rule},
                   {"provision", n.provision},
                   {"test", n.test}});
  return out;
}

json to_json(const Classification& c) {
  json j;
  j["chip"] = c.item;
  j["date"] = c.date.str();
  j["determined"] = c.determined;
  j["eccn"] = c.determined ? json(c.eccn) : json(nullptr);
  j["paragraph"] = c.paragraph.empty() || !c.determined ? json(nullptr) : json(c.paragraph);
  j["tpp"] = number_or_null(c.metrics.tpp);
  j["pd"] = number_or_null(c.metrics.pd);
  j["rule_version"] = c.deciding_rule ? json(c.deciding_rule->id) : json(nullptr);
  if (c.deciding_rule) {
    const rules::Citation& cit = c.deciding_provision && c.deciding_provision->citation
                                     ? *c.deciding_provision->citation
                                     : c.deciding_rule->citation;
    j["citation"] = to_json(cit);
  } else {
    j["citation"] = nullptr;
  }
  if (c.excluded_by) j["excluded_by"] = c.excluded_by->id;
  if (!c.missing_inputs.empty()) j["missing_inputs"] = c.missing_inputs;
  j["why"] = why(c);
  if (!c.needed.empty()) j["needed"] = to_json(c.needed);
  if (c.next_rule)
    j["next_rule"] = {{"id", c.next_rule->id},
                      {"title", c.next_rule->title},
                      {"effective_from", c.next_rule->effective_from.str()},
                      {"citation", to_json(c.next_rule->citation)}};

  json metrics;
  json tpp{{"value", number_or_null(c.metrics.tpp)},
           {"basis", c.metrics.tpp_basis},
           {"tf32_reading", c.metrics.tf32_reading}};
  json terms = json::array();
  for (const auto& t : c.metrics.terms) {
    terms.push_back({{"unit", t.unit},
                     {"precision", t.precision},
                     {"dense_tops", number_or_null(t.dense_tops)},
                     {"bits", t.bits ? json(*t.bits) : json(nullptr)},
                     {"tpp", t.bits ? number_or_null(t.tpp) : json(nullptr)}});
  }
  tpp["terms"] = std::move(terms);
  metrics["tpp"] = std::move(tpp);
  metrics["pd"] = {{"value", number_or_null(c.metrics.pd)},
                   {"nonplanar_logic_area_mm2", number_or_null(c.metrics.pd_area_mm2)},
                   {"dies_counted", c.metrics.dies_counted},
                   {"planar_dies_excluded", c.metrics.dies_excluded}};
  metrics["memory_bandwidth_density"] = number_or_null(c.metrics.mbd);
  j["metrics"] = std::move(metrics);

  json in_force = json::array();
  for (const auto* r : c.rules_in_force)
    in_force.push_back({{"id", r->id},
                        {"title", r->title},
                        {"effective_from", r->effective_from.str()},
                        {"effective_to", r->effective_to ? json(r->effective_to->str()) : json(nullptr)},
                        {"evidence", std::string(rules::to_string(r->evidence))},
                        {"citation", to_json(r->citation)}});
  j["rules_in_force"] = std::move(in_force);

  json trace = json::array();
  for (const auto& s : c.trace) {
    const rules::Citation& cit = s.provision->citation ? *s.provision->citation : s.rule->citation;
    const rules::Evidence ev = s.provision->evidence.value_or(s.rule->evidence);
    json step{{"rule", s.rule->id},
              {"role", s.role},
              {"provision", s.provision->id},
              {"title", s.provision->title},
              {"test", s.provision->when.text()},
              {"result", std::string(rules::to_string(s.result))},
              {"citation", to_json(cit)},
              {"evidence", std::string(rules::to_string(ev))},
              {"comparisons", to_json(s.comparisons)}};
    if (!s.note.empty()) step["note"] = s.note;
    if (!s.provision->explanation.empty()) step["explanation"] = s.provision->explanation;
    trace.push_back(std::move(step));
  }
  j["trace"] = std::move(trace);
  return j;
}

}  // namespace exportctl::classify
