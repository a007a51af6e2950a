// JSON form of a license decision and the text rendered from it.

#include <nlohmann/json.hpp>

#include "license/license.h"

namespace exportctl::license {

using nlohmann::json;

namespace {

std::string show(const json& v) {
  if (v.is_null()) return "unknown";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) {
    const double d = v.get<double>();
    char buf[64];
    std::snprintf(buf, sizeof buf, d == static_cast<double>(static_cast<long long>(d)) ? "%.0f" : "%.2f", d);
    return buf;
  }
  return v.dump();
}

}  // namespace

json to_json(const Decision& d, const Transaction& t, const rules::RuleSet& rules) {
  json j;
  j["item"] = t.item ? t.item->name : "";
  j["to"] = t.to;
  j["hq"] = t.hq.empty() ? t.to : t.hq;
  j["export_from"] = t.export_from;
  j["end_use"] = t.end_use;
  j["date"] = t.date.str();
  j["parties"] = t.parties;
  j["destination_evaluated"] = d.destination;
  j["determined"] = d.determined;
  if (!d.missing_inputs.empty()) j["missing_inputs"] = d.missing_inputs;
  j["license_required"] = d.license_required;
  j["policy"] = d.policy == Policy::None || d.policy == Policy::Unconfirmed
                    ? json(nullptr)
                    : json(std::string(to_string(d.policy)));
  j["policy_unconfirmed"] = d.policy == Policy::Unconfirmed;
  j["requirements"] = d.requirements;
  j["exceptions"] = d.exceptions;
  j["exceptions_cover_all"] = d.exceptions_cover_all;
  j["flags"] = d.flags;
  j["decision"] = summary(d);
  j["classification"] = classify::to_json(d.classification);
  json parties = json::array();
  for (const auto& h : d.parties)
    parties.push_back({{"query", h.query},
                       {"matched_name", h.matched_name},
                       {"score", h.score},
                       {"alignment", h.alignment},
                       {"entry",
                        {{"source", h.source},
                         {"id", h.id},
                         {"name", h.name},
                         {"federal_register_notice", h.federal_register_notice},
                         {"start_date", h.start_date},
                         {"license_requirement", h.license_requirement},
                         {"license_policy", h.license_policy}}}});
  j["party_matches"] = std::move(parties);
  json reasons = json::array();
  for (const auto& r : d.reasons) {
    json x{{"type", r.type}, {"sentence", r.sentence}};
    if (!r.requirement.empty()) x["requirement"] = r.requirement;
    if (!r.detail.empty()) x["detail"] = r.detail;
    if (r.rule) {
      x["rule"] = r.rule->id;
      x["rule_title"] = r.rule->title;
      x["rule_status"] = r.rule->status;
      const rules::Citation& c =
          r.provision && r.provision->citation ? *r.provision->citation : r.rule->citation;
      x["citation"] = classify::to_json(c);
      const rules::Evidence e =
          r.provision && r.provision->evidence ? *r.provision->evidence : r.rule->evidence;
      x["evidence"] = std::string(rules::to_string(e));
    }
    if (r.provision) {
      x["provision"] = r.provision->id;
      x["test"] = r.provision->when.text();
    }
    x["comparisons"] = classify::to_json(r.comparisons);
    reasons.push_back(std::move(x));
  }
  j["reasons"] = std::move(reasons);
  const auto compiled = rules.compiled();
  j["rules_as_of"] = compiled ? json(compiled->str()) : json(nullptr);
  return j;
}

std::string render_text(const json& j) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  std::string head = j["item"].get<std::string>() + " -> " + j["to"].get<std::string>();
  if (j["hq"] != j["to"]) head += " (end user headquartered in " + j["hq"].get<std::string>() + ")";
  if (j["export_from"] != "US") head += ", exported from " + j["export_from"].get<std::string>();
  if (j["end_use"] != "none") head += ", end use " + j["end_use"].get<std::string>();
  line(head + " on " + j["date"].get<std::string>() + ":");
  line("  " + j["decision"].get<std::string>());
  if (j.contains("missing_inputs")) line("  cannot decide without: " + j["missing_inputs"].dump());
  const json& c = j["classification"];
  std::string cls = c["determined"].get<bool>() ? c["eccn"].get<std::string>() : "UNDETERMINED";
  if (!c["paragraph"].is_null()) cls += " (" + c["paragraph"].get<std::string>() + ")";
  line("  ├─ classification: " + cls + ", TPP " + show(c["tpp"]) + ", PD " + show(c["pd"]) +
       (c["rule_version"].is_null() ? ""
                                    : " — " + c["rule_version"].get<std::string>() + ", " +
                                          c["citation"]["text"].get<std::string>()));
  const auto& reasons = j["reasons"];
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const json& r = reasons[i];
    const bool last = i + 1 == reasons.size();
    std::string label = r["type"].get<std::string>();
    if (r["type"] == "requirement") {
      label += " " + r["requirement"].get<std::string>();
    } else {
      if (r.contains("provision")) label += " " + r["provision"].get<std::string>();
      if (r.contains("requirement")) label += " (for " + r["requirement"].get<std::string>() + ")";
    }
    std::string cite;
    if (r.contains("rule"))
      cite = "  [" + r["rule"].get<std::string>() + ": " + r["citation"]["text"].get<std::string>() +
             "; evidence " + r["evidence"].get<std::string>() +
             (r["rule_status"] != "in-force" ? "; " + r["rule_status"].get<std::string>() : "") + "]";
    line(std::string("  ") + (last ? "└─ " : "├─ ") + label + cite);
    const std::string bar = last ? "     " : "  │  ";
    if (!r["sentence"].get<std::string>().empty()) line(bar + r["sentence"].get<std::string>());
    if (r.contains("detail")) line(bar + r["detail"].get<std::string>());
    for (const auto& cmp : r["comparisons"]) {
      const std::string right =
          cmp["op"] == "in" || cmp["op"] == "is" ? cmp["right"].get<std::string>() : show(cmp["right_value"]);
      line(bar + "  " + cmp["left"].get<std::string>() + " = " + show(cmp["left_value"]) + "  " +
           cmp["op"].get<std::string>() + " " + right + "  -> " + cmp["result"].get<std::string>());
    }
  }
  if (j["license_required"] == false && reasons.empty())
    line("  └─ no requirement of the rules in force applies to this item, destination and party");
  line("  rules as of " +
       (j["rules_as_of"].is_null() ? std::string("?") : j["rules_as_of"].get<std::string>()) +
       "; evidence: P primary, PQ primary quoted, S secondary, D derived, U unconfirmed");
  return out;
}

}  // namespace exportctl::license
