#include "license/license.h"

#include <algorithm>
#include <cstdio>

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
  // License conditions are compiled against transaction_schema, which
  // declares the sets in country-group order: the set index is the group index.
  GroupsOnDate(const rules::CountryGroups& g, Date d) : table_(g.on(d)) {}
  bool contains(int index, std::string_view, std::string_view value) const override {
    return table_.contains(index, value);
  }

 private:
  rules::CountryGroups::OnDate table_;
};

std::vector<std::string> words(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t end = list.find(' ', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
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
  auto compile = [](const rules::RuleVersion* v, const rules::Provision& p, const char* name_key) {
    Compiled c;
    c.rule = v;
    c.provision = &p;
    c.enforced = v->status == "in-force";
    c.name = p.outcome_or(name_key);
    c.flag = p.outcome_or("flag");
    c.policy = parse_policy(p.outcome_or("policy"));
    return c;
  };
  std::vector<Date> cuts = rules.boundaries("license");
  intervals_.push_back({Date::from_days(-1000000), {}, {}, {}, {}, {}});
  for (Date d : cuts) {
    Interval in{d, {}, {}, {}, {}, {}};
    for (const auto* v : rules.in_force(d, "license")) {
      for (const auto& p : v->section("requirements"))
        in.requirements.push_back(compile(v, p, "requirement"));
      for (const auto& p : v->section("flags")) in.flags.push_back(compile(v, p, "flag"));
      for (const auto& p : v->section("information")) in.information.push_back(compile(v, p, "information"));
      for (const auto& p : v->section("policies")) {
        Compiled c = compile(v, p, "policy");
        c.targets = words(p.outcome_or("requirement"));
        c.detail = p.outcome_or("conditions");
        in.policies.push_back(std::move(c));
      }
      for (const auto& p : v->section("exceptions")) {
        Compiled c = compile(v, p, "exception");
        c.targets = words(p.outcome_or("overcomes"));
        c.detail = "notification: " + p.outcome_or("notification", "none");
        if (!p.outcome_or("conditions").empty()) c.detail += "; conditions: " + p.outcome_or("conditions");
        in.exceptions.push_back(std::move(c));
      }
    }
    intervals_.push_back(std::move(in));
  }
}

const Engine::Interval& Engine::interval_on(Date date) const {
  auto it = std::upper_bound(intervals_.begin(), intervals_.end(), date,
                             [](Date d, const Interval& i) { return d < i.from; });
  return *std::prev(it);
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

Decision Engine::check(const Transaction& t, bool with_trace,
                       const classify::Classification* classification) const {
  Decision d;
  const auto& groups = rules_.country_groups();
  d.classification = classification != nullptr && !with_trace
                         ? *classification
                         : classifier_.classify(*t.item, t.date, with_trace);
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
          char score[16];
          std::snprintf(score, sizeof score, "%.3f", hit.score);
          r.sentence = "'" + name + "' matches '" + hit.matched_name + "' (" + hit.name + ", score " + score +
                       ") on " + hit.source +
                       (hit.federal_register_notice.empty() ? "" : ", " + hit.federal_register_notice) +
                       (hit.start_date.empty() ? "" : ", listed " + hit.start_date);
          r.detail = hit.license_requirement;
          if (!hit.alignment.empty())
            r.detail += (r.detail.empty() ? "" : "; ") + ("alignment: " + hit.alignment);
          d.reasons.push_back(std::move(r));
        }
        d.parties.push_back(std::move(hit));
      }
    }
  }

  rules::Value in[rules::kTransactionInputCount];
  classify::fill_inputs(*t.item, d.classification.metrics, in);
  const auto& cls = d.classification;
  in[rules::kEccn] = cls.determined ? rules::Value::of(std::string_view(cls.eccn)) : rules::Value::unknown();
  in[rules::kParagraph] =
      cls.determined ? rules::Value::of(std::string_view(cls.paragraph)) : rules::Value::unknown();
  in[rules::kDestination] = rules::Value::of(std::string_view(d.destination));
  in[rules::kHeadquarters] = rules::Value::of(std::string_view(d.headquarters));
  in[rules::kExportFrom] = rules::Value::of(std::string_view(export_from));
  in[rules::kEndUse] = rules::Value::of(std::string_view(t.end_use));
  in[rules::kPartyListed] = rules::Value::of(listed);
  const GroupsOnDate sets(groups, t.date);

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

  const Interval& rules_now = interval_on(t.date);
  auto applies = [&](const Compiled& c) { return c.enforced || t.apply_ai_diffusion; };
  for (const auto& c : rules_now.requirements) {
    if (!applies(c) || evaluate(*c.provision) != Tri::True) continue;
    if (!contains(d.requirements, c.name)) d.requirements.push_back(c.name);
    // A requirement may carry a flag of its own (e.g. "is-informed": not published regulation).
    if (!c.flag.empty() && !contains(d.flags, c.flag)) d.flags.push_back(c.flag);
    reason(c.rule, c.provision, "requirement", c.name);
  }
  for (const auto& c : rules_now.flags) {
    if (!applies(c) || evaluate(*c.provision) != Tri::True) continue;
    if (!contains(d.flags, c.name)) d.flags.push_back(c.name);
    reason(c.rule, c.provision, "flag", {});
  }
  if (with_trace) {
    // Information never decides; it explains rules that are not enforced.
    for (const auto& c : rules_now.information) {
      if (applies(c)) continue;
      std::vector<rules::Comparison> saved;
      if (c.provision->when.evaluate(in, &sets, saved) != Tri::True) continue;
      comparisons = std::move(saved);
      reason(c.rule, c.provision, "information", {});
    }
  }
  if (listed && !contains(d.flags, "entity-list")) d.flags.push_back("entity-list");
  d.license_required = !d.requirements.empty();

  // Review policy per requirement: the first policy line that matches it.
  for (const auto& req : d.requirements) {
    Policy policy = Policy::None;
    if (req == "entity-list") {
      for (const auto& hit : d.parties) {
        if (!hit.entity_list) continue;
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
        policy = std::max(policy, policy_from_text(hit.license_policy));
      }
    } else {
      for (const auto& c : rules_now.policies) {
        if (!applies(c) || !contains(c.targets, req)) continue;
        const Tri r = evaluate(*c.provision);
        if (r == Tri::Unknown) break;  // undetermined: evaluate() recorded the missing input
        if (r != Tri::True) continue;
        policy = c.policy;
        reason(c.rule, c.provision, "policy", req, c.detail);
        break;
      }
    }
    d.policy = std::max(d.policy, policy);
  }

  // License exceptions: available when their conditions hold; each names the
  // requirements it can overcome. Entity List and end-use requirements are
  // never among them.
  if (d.license_required) {
    std::vector<std::string> overcome;
    for (const auto& c : rules_now.exceptions) {
      if (!c.enforced || contains(d.exceptions, c.name)) continue;
      bool relevant = false;
      for (const auto& req : d.requirements) relevant = relevant || contains(c.targets, req);
      if (!relevant || evaluate(*c.provision) != Tri::True) continue;
      d.exceptions.push_back(c.name);
      for (const auto& req : d.requirements)
        if (contains(c.targets, req)) overcome.push_back(req);
      reason(c.rule, c.provision, "exception", {}, c.detail);
    }
    d.exceptions_cover_all = !d.exceptions.empty();
    for (const auto& req : d.requirements)
      if (!contains(overcome, req)) d.exceptions_cover_all = false;
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
