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

std::string fmt_number(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  }
  return buf;
}

std::string fmt_value(const json& v) {
  if (v.is_null()) return "unknown";
  if (v.is_number()) return fmt_number(v.get<double>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
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
  json out = json::array();
  for (const auto& c : comparisons) {
    out.push_back({{"test", c.test},
                   {"left", c.left},
                   {"left_value", value_json(c.left_value)},
                   {"op", c.op},
                   {"right", c.right},
                   {"right_value", value_json(c.right_value)},
                   {"result", std::string(rules::to_string(c.result))}});
  }
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

std::string render_text(const json& j) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  const std::string verdict =
      j["determined"].get<bool>()
          ? j["eccn"].get<std::string>() +
                (j["paragraph"].is_null() ? "" : " (paragraph " + j["paragraph"].get<std::string>() + ")")
          : "UNDETERMINED";
  line(j["chip"].get<std::string>() + " on " + j["date"].get<std::string>() + ": " + verdict);
  if (j.contains("missing_inputs")) line("  cannot decide without: " + j["missing_inputs"].dump());
  const json& m = j["metrics"];
  std::string metrics_line = "  TPP " + fmt_value(m["tpp"]["value"]);
  if (!m["tpp"]["basis"].get<std::string>().empty())
    metrics_line += " (basis " + m["tpp"]["basis"].get<std::string>() + ")";
  metrics_line += "; PD " + fmt_value(m["pd"]["value"]);
  if (!m["pd"]["value"].is_null())
    metrics_line += " (TPP / " + fmt_value(m["pd"]["nonplanar_logic_area_mm2"]) + " mm2 non-planar logic)";
  line(metrics_line);
  for (const auto& t : m["tpp"]["terms"]) {
    line("    " + t["precision"].get<std::string>() + ": " + fmt_value(t["dense_tops"]) + " dense TOPS x " +
         (t["bits"].is_null() ? std::string("(not counted)")
                              : fmt_value(t["bits"]) + " bits = " + fmt_value(t["tpp"])));
  }
  if (j["rules_in_force"].empty()) line("  No 3A090 rule was in force on this date.");
  std::string current_rule;
  for (const auto& s : j["trace"]) {
    const std::string rule = s["rule"].get<std::string>();
    if (rule != current_rule) {
      current_rule = rule;
      for (const auto& r : j["rules_in_force"])
        if (r["id"] == rule)
          line("  [" + rule + "] " + r["title"].get<std::string>() + " — " +
               r["citation"]["text"].get<std::string>() + ", in force from " +
               r["effective_from"].get<std::string>());
    }
    const std::string result = s["result"].get<std::string>();
    std::string verdict_word = result == "true"    ? (s["role"] == "exclusion" ? "APPLIES" : "MET")
                               : result == "false" ? "not met"
                                                   : "UNDECIDED";
    if (s.contains("note")) verdict_word = "skipped: " + s["note"].get<std::string>();
    line("    " + s["provision"].get<std::string>() + " (" + s["role"].get<std::string>() +
         "): " + verdict_word + "   [" + s["citation"]["text"].get<std::string>() + "; evidence " +
         s["evidence"].get<std::string>() + "]");
    for (const auto& c : s["comparisons"]) {
      std::string right =
          c["op"] == "in" || c["op"] == "is" ? c["right"].get<std::string>() : fmt_value(c["right_value"]);
      line("      " + c["left"].get<std::string>() + " = " + fmt_value(c["left_value"]) + "  " +
           c["op"].get<std::string>() + " " + right + "  -> " + c["result"].get<std::string>());
    }
  }
  if (j.contains("excluded_by")) line("  Excluded by " + j["excluded_by"].get<std::string>() + ".");
  if (!j["rule_version"].is_null() && !j["citation"].is_null())
    line("  Decided under " + j["rule_version"].get<std::string>() + ": " +
         j["citation"]["text"].get<std::string>() +
         (j["citation"].contains("url") ? " <" + j["citation"]["url"].get<std::string>() + ">" : ""));
  return out;
}

}  // namespace exportctl::classify
