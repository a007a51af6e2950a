#include "license/license.h"

#include <algorithm>
#include <sstream>

#include "core/error.h"

namespace exportctl::license {

using rules::Tri;

std::string_view to_string(Policy p) {
  switch (p) {
    case Policy::None:
      return "none";
    case Policy::Unconfirmed:
      return "unconfirmed";
    case Policy::PresumptionOfApproval:
      return "presumption-of-approval";
    case Policy::CaseByCase:
      return "case-by-case";
    case Policy::PresumptionOfDenial:
      return "presumption-of-denial";
  }
  return "none";
}

Policy parse_policy(std::string_view text) {
  if (text == "presumption-of-denial") return Policy::PresumptionOfDenial;
  if (text == "case-by-case") return Policy::CaseByCase;
  if (text == "presumption-of-approval") return Policy::PresumptionOfApproval;
  if (text == "unconfirmed") return Policy::Unconfirmed;
  return Policy::None;
}

Policy policy_from_text(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // The most restrictive wording present decides: entries often combine
  // "presumption of denial for X; case-by-case otherwise".
  if (lower.find("denial") != std::string::npos) return Policy::PresumptionOfDenial;
  if (lower.find("case-by-case") != std::string::npos || lower.find("case by case") != std::string::npos)
    return Policy::CaseByCase;
  if (lower.find("approval") != std::string::npos) return Policy::PresumptionOfApproval;
  return Policy::Unconfirmed;
}

void validate(const Transaction& t, const rules::RuleSet& rules) {
  auto check_country = [&](const std::string& code, const std::string& flag) {
    if (!rules::is_country_code(code))
      throw InputError(flag, "'" + code + "' is not an ISO 3166-1 alpha-2 country code (e.g. CN, AE, US)");
  };
  if (t.item == nullptr) throw InputError("check", "no item given");
  check_country(t.to, "--to");
  if (!t.hq.empty()) check_country(t.hq, "--hq");
  check_country(t.export_from, "--export-from");
  if (t.end_use != "none" && t.end_use != "supercomputer" && t.end_use != "advanced-ic")
    throw InputError("--end-use", "'" + t.end_use + "' must be supercomputer, advanced-ic or none");
  if (t.export_from == t.to && t.to == "US")
    throw InputError("--to", "export from US to US is not an export; give the destination country");
  for (const auto& p : t.parties)
    if (p.find_first_not_of(" \t") == std::string::npos) throw InputError("--party", "empty party name");
  (void)rules;
}

namespace {

class GroupsOnDate : public rules::SetResolver {
 public:
  GroupsOnDate(const rules::CountryGroups& g, Date d) : groups_(g), date_(d) {}
  bool contains(std::string_view set, std::string_view value) const override {
    return groups_.contains(set, value, date_);
  }

 private:
  const rules::CountryGroups& groups_;
  Date date_;
};

bool mentions(const std::string& list, const std::string& item) {
  std::istringstream in(list);
  std::string word;
  while (in >> word)
    if (word == item) return true;
  return false;
}

void note_missing(const std::vector<rules::Comparison>& comparisons, std::vector<std::string>& out) {
  for (const auto& c : comparisons)
    if (c.result == Tri::Unknown && c.left_value.kind == rules::Value::Kind::Unknown &&
        std::find(out.begin(), out.end(), c.left) == out.end())
      out.push_back(c.left);
}

}  // namespace

Engine::Engine(const rules::RuleSet& rules, const classify::Classifier& classifier,
               const PartyScreen* parties)
    : rules_(rules), classifier_(classifier), parties_(parties) {
  std::vector<Date> cuts = rules.boundaries("license");
  intervals_.push_back({Date::from_days(-1000000), {}});
  for (Date d : cuts) intervals_.push_back({d, rules.in_force(d, "license")});
}

const std::vector<const rules::RuleVersion*>& Engine::versions_on(Date date) const {
  auto it = std::upper_bound(intervals_.begin(), intervals_.end(), date,
                             [](Date d, const Interval& i) { return d < i.from; });
  return std::prev(it)->versions;
}

std::vector<Date> Engine::timeline_dates(Date from, Date to) const {
  std::vector<Date> dates{from};
  for (Date d : rules_.boundaries()) dates.push_back(d);
  for (Date d : rules_.country_groups().change_dates()) dates.push_back(d);
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  std::vector<Date> out;
  for (Date d : dates)
    if (d >= from && d <= to) out.push_back(d);
  return out;
}

Decision Engine::check(const Transaction& t, bool with_trace) const {
  Decision d;
  const auto& groups = rules_.country_groups();
  d.classification = classifier_.classify(*t.item, t.date, with_trace);
  d.destination = groups.canonical(t.to);
  d.headquarters = groups.canonical(t.hq.empty() ? t.to : t.hq);
  const std::string export_from = groups.canonical(t.export_from);
  if (with_trace && d.destination != t.to) {
    Reason r;
    r.rule = rules_.find(groups.rule_id());
    r.type = "destination";
    const auto* ta = groups.treat_as(t.to);
    r.sentence = t.to + " is evaluated as " + d.destination +
                 (ta && !ta->note.empty() ? " (" + ta->note + ")" : "") + "; evidence " +
                 std::string(rules::to_string(ta ? ta->evidence : rules::Evidence::U)) + ".";
    d.reasons.push_back(std::move(r));
  }

  // Parties: Entity List entries in force on the date.
  bool listed = false;
  if (parties_ != nullptr) {
    for (const auto& name : t.parties) {
      for (auto& hit : parties_->find(name)) {
        const auto start = Date::parse(hit.start_date);
        if (hit.entity_list && start && *start > t.date) continue;  // not yet listed
        listed = listed || hit.entity_list;
        if (with_trace) {
          Reason r;
          r.type = "party";
          r.sentence = "'" + name + "' matches '" + hit.matched_name + "' (" + hit.name + ") on " +
                       hit.source +
                       (hit.federal_register_notice.empty() ? "" : ", " + hit.federal_register_notice) +
                       (hit.start_date.empty() ? "" : ", listed " + hit.start_date);
          r.detail = hit.license_requirement;
          d.reasons.push_back(std::move(r));
        }
        d.parties.push_back(std::move(hit));
      }
    }
  }

  rules::Value in[rules::kTransactionInputCount];
  classify::fill_inputs(*t.item, d.classification.metrics, in);
  const auto& c = d.classification;
  in[rules::kEccn] = c.determined ? rules::Value::of(std::string_view(c.eccn)) : rules::Value::unknown();
  in[rules::kParagraph] =
      c.determined ? rules::Value::of(std::string_view(c.paragraph)) : rules::Value::unknown();
  in[rules::kDestination] = rules::Value::of(std::string_view(d.destination));
  in[rules::kHeadquarters] = rules::Value::of(std::string_view(d.headquarters));
  in[rules::kExportFrom] = rules::Value::of(std::string_view(export_from));
  in[rules::kEndUse] = rules::Value::of(std::string_view(t.end_use));
  in[rules::kPartyListed] = rules::Value::of(listed);
  const GroupsOnDate sets(groups, t.date);

  struct Applied {
    const rules::RuleVersion* rule;
    const rules::Provision* provision;
    std::string requirement;
  };
  std::vector<Applied> applied;
  std::vector<rules::Comparison> comparisons;
  auto evaluate = [&](const rules::Provision& p) {
    comparisons.clear();
    Tri r = with_trace ? p.when.evaluate(in, &sets, comparisons) : p.when.evaluate(in, &sets);
    if (r == Tri::Unknown) {
      if (!with_trace) p.when.evaluate(in, &sets, comparisons);
      d.determined = false;
      note_missing(comparisons, d.missing_inputs);
    }
    return r;
  };
  auto reason = [&](const rules::RuleVersion* v, const rules::Provision* p, std::string type,
                    std::string requirement, std::string detail = {}) {
    if (!with_trace) return;
    Reason r;
    r.rule = v;
    r.provision = p;
    r.type = std::move(type);
    r.requirement = std::move(requirement);
    r.sentence = p->explanation;
    r.comparisons = comparisons;
    r.detail = std::move(detail);
    d.reasons.push_back(std::move(r));
  };

  const auto& versions = versions_on(t.date);
  for (const auto* v : versions) {
    const bool enforced = v->status == "in-force" || (t.apply_ai_diffusion && v->status == "not-enforced");
    if (enforced) {
      for (const auto& p : v->section("requirements")) {
        if (evaluate(p) != Tri::True) continue;
        const std::string req = p.outcome_or("requirement");
        applied.push_back({v, &p, req});
        if (std::find(d.requirements.begin(), d.requirements.end(), req) == d.requirements.end())
          d.requirements.push_back(req);
        // A requirement may carry a flag of its own (e.g. "is-informed": not published regulation).
        if (const std::string flag = p.outcome_or("flag");
            !flag.empty() && std::find(d.flags.begin(), d.flags.end(), flag) == d.flags.end())
          d.flags.push_back(flag);
        reason(v, &p, "requirement", req);
      }
      for (const auto& p : v->section("flags")) {
        if (evaluate(p) != Tri::True) continue;
        const std::string flag = p.outcome_or("flag");
        if (std::find(d.flags.begin(), d.flags.end(), flag) == d.flags.end()) d.flags.push_back(flag);
        reason(v, &p, "flag", {});
      }
    }
    for (const auto& p : v->section("information")) {
      // Information never decides; it is evaluated for the explanation only.
      if (enforced || !with_trace) continue;
      std::vector<rules::Comparison> saved;
      const Tri r = p.when.evaluate(in, &sets, saved);
      if (r != Tri::True) continue;
      comparisons = std::move(saved);
      reason(v, &p, "information", {});
    }
  }
  if (listed && std::find(d.flags.begin(), d.flags.end(), "entity-list") == d.flags.end())
    d.flags.push_back("entity-list");
  d.license_required = !d.requirements.empty();

  // Review policy per requirement: the first policy line that matches it.
  for (const auto& req : d.requirements) {
    Policy policy = Policy::None;
    if (req == "entity-list") {
      for (const auto& hit : d.parties) {
        if (!hit.entity_list) continue;
        const Policy p = policy_from_text(hit.license_policy);
        if (with_trace) {
          Reason r;
          r.type = "policy";
          r.requirement = req;
          r.sentence = hit.name + ": " +
                       (hit.license_policy.empty()
                            ? std::string("license policy not stated in the bundled entry (UNCONFIRMED)")
                            : hit.license_policy);
          d.reasons.push_back(std::move(r));
        }
        policy = std::max(policy, p);
      }
    } else {
      bool found = false;
      for (const auto* v : versions) {
        const bool enforced =
            v->status == "in-force" || (t.apply_ai_diffusion && v->status == "not-enforced");
        if (!enforced) continue;
        for (const auto& p : v->section("policies")) {
          if (!mentions(p.outcome_or("requirement"), req)) continue;
          const Tri r = evaluate(p);
          if (r == Tri::Unknown) {
            found = true;  // undetermined: evaluate() recorded the missing input
            break;
          }
          if (r != Tri::True) continue;
          policy = parse_policy(p.outcome_or("policy"));
          reason(v, &p, "policy", req, p.outcome_or("conditions"));
          found = true;
          break;
        }
        if (found) break;
      }
    }
    d.policy = std::max(d.policy, policy);
  }

  // License exceptions: available when their conditions hold; each names the
  // requirements it can overcome. Entity List and end-use requirements are
  // never overcome here.
  if (d.license_required) {
    std::vector<std::string> overcome;
    for (const auto* v : versions) {
      if (v->status != "in-force") continue;
      for (const auto& p : v->section("exceptions")) {
        const std::string name = p.outcome_or("exception");
        if (std::find(d.exceptions.begin(), d.exceptions.end(), name) != d.exceptions.end()) continue;
        bool relevant = false;
        for (const auto& req : d.requirements)
          relevant = relevant || mentions(p.outcome_or("overcomes"), req);
        if (!relevant) continue;
        if (evaluate(p) != Tri::True) continue;
        d.exceptions.push_back(name);
        for (const auto& req : d.requirements)
          if (mentions(p.outcome_or("overcomes"), req)) overcome.push_back(req);
        std::string detail = "notification: " + p.outcome_or("notification", "none");
        if (!p.outcome_or("conditions").empty()) detail += "; conditions: " + p.outcome_or("conditions");
        reason(v, &p, "exception", {}, detail);
      }
    }
    d.exceptions_cover_all = !d.exceptions.empty();
    for (const auto& req : d.requirements)
      if (std::find(overcome.begin(), overcome.end(), req) == overcome.end()) d.exceptions_cover_all = false;
  }
  if (!d.classification.determined) {
    for (const auto& m : d.classification.missing_inputs)
      if (std::find(d.missing_inputs.begin(), d.missing_inputs.end(), m) == d.missing_inputs.end())
        d.missing_inputs.push_back(m);
  }
  // "eccn" missing means the classification was open; name its own inputs instead.
  d.missing_inputs.erase(std::remove_if(d.missing_inputs.begin(), d.missing_inputs.end(),
                                        [](const std::string& m) { return m == "eccn" || m == "paragraph"; }),
                         d.missing_inputs.end());
  return d;
}

std::string summary(const Decision& d) {
  if (!d.determined) return "UNDETERMINED";
  std::string s;
  if (!d.license_required) {
    s = "NO LICENSE REQUIRED";
  } else {
    s = "LICENSE REQUIRED";
    if (d.policy != Policy::None)
      s += d.policy == Policy::Unconfirmed ? " (review policy unconfirmed)"
                                           : " (" + std::string(to_string(d.policy)) + ")";
    if (!d.exceptions.empty()) {
      std::string names;
      for (const auto& e : d.exceptions) names += (names.empty() ? "" : ", ") + e;
      s += d.exceptions_cover_all ? "; license exception available: " + names
                                  : "; exception " + names + " covers only part";
    }
  }
  for (const auto& f : d.flags) s += " [" + f + "]";
  if (std::find(d.flags.begin(), d.flags.end(), "GP10") != d.flags.end())
    s += " — GP10: any dealing with this PRC-developed IC may be prohibited; do not proceed without counsel";
  return s;
}

}  // namespace exportctl::license
