// JSON form of a license decision and the text rendered from it.

#include <nlohmann/json.hpp>

#include "license/license.h"

namespace exportctl::license {

using nlohmann::json;

namespace {

// A restricted-list entry matched for a party or an owner.
json hit_json(const PartyHit& h) {
  return {{"matched_name", h.matched_name},
          {"score", h.score},
          {"entry",
           {{"source", h.source},
            {"id", h.id},
            {"name", h.name},
            {"federal_register_notice", h.federal_register_notice},
            {"start_date", h.start_date},
            {"license_requirement", h.license_requirement},
            {"license_policy", h.license_policy}}}};
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
  j["complete"] = d.complete;
  if (!d.missing_inputs.empty()) j["missing_inputs"] = d.missing_inputs;
  if (!d.needed.empty()) j["needed"] = classify::to_json(d.needed);
  if (!d.unknown_inputs.empty()) j["unknown_inputs_not_deciding"] = d.unknown_inputs;
  j["license_required"] = d.determined ? json(d.license_required) : json(nullptr);  // null: UNDETERMINED
  j["policy"] = d.policy == Policy::None || d.policy == Policy::Unconfirmed
                    ? json(nullptr)
                    : json(std::string(to_string(d.policy)));
  j["policy_unconfirmed"] = d.policy == Policy::Unconfirmed;
  j["requirements"] = d.requirements;
  j["exceptions"] = d.exceptions;
  j["exceptions_cover_all"] = d.exceptions_cover_all;
  j["flags"] = d.flags;
  j["warnings"] = d.warnings;
  j["decision"] = summary(d);
  j["why"] = d.why;
  json deciding = json::array();
  for (const auto* v : d.deciding_rules) deciding.push_back(v->id);
  j["deciding_rules"] = std::move(deciding);
  j["classification"] = classify::to_json(d.classification);
  json parties = json::array();
  for (const auto& h : d.parties) {
    json x = hit_json(h);
    x["query"] = h.query;
    x["alignment"] = h.alignment;
    if (!h.name_source.empty()) x["name_source"] = h.name_source;
    x["adjudication"] = h.adjudication.empty() ? json(nullptr) : json(h.adjudication);
    parties.push_back(std::move(x));
  }
  j["party_matches"] = std::move(parties);
  if (!t.owners.empty()) {
    json owners = json::array();
    for (const auto& [owner, hits] : d.owners) {
      json matches = json::array();
      for (const auto& h : hits) matches.push_back(hit_json(h));
      owners.push_back({{"name", owner.name}, {"percent", owner.percent}, {"entity_list_matches", matches}});
    }
    j["owners"] = std::move(owners);
    j["listed_ownership"] = d.listed_ownership;
  }
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

}  // namespace exportctl::license
