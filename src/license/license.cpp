#include "license/license.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "core/error.h"

namespace exportctl::license {

using rules::Tri;

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
  auto check_country = [&](const std::string& code, const std::string& field) {
    if (!rules::is_country_code(code))
      throw InputError(field, "'" + code + "' is not an ISO 3166-1 alpha-2 country code (e.g. CN, AE, US)");
  };
  if (t.item == nullptr) throw InputError("item", "no item given");
  check_country(t.to, "to");
  if (!t.hq.empty()) check_country(t.hq, "hq");
  check_country(t.export_from, "export_from");
  const auto& end_uses = rules.end_uses();
  if (std::none_of(end_uses.begin(), end_uses.end(), [&](const auto& e) { return e.first == t.end_use; })) {
    std::string known;
    for (const auto& [id, meaning] : end_uses) known += (known.empty() ? "" : ", ") + id;
    throw InputError("end_use", "'" + t.end_use + "' is not a known end use (known: " + known + ")");
  }
  if (t.export_from == t.to && t.to == "US")
    throw InputError("to", "export from US to US is not an export; give the destination country");
  for (std::size_t i = 0; i < t.parties.size(); ++i)
    if (t.parties[i].find_first_not_of(" \t") == std::string::npos)
      throw InputError("parties[" + std::to_string(i) + "]", "empty party name");
  double total = 0;
  for (std::size_t i = 0; i < t.owners.size(); ++i) {
    const std::string field = "owners[" + std::to_string(i) + "]";
    if (t.owners[i].name.find_first_not_of(" \t") == std::string::npos)
      throw InputError(field, "empty owner name");
    if (!(t.owners[i].percent > 0 && t.owners[i].percent <= 100))
      throw InputError(field, "the share must be a percentage above 0 and at most 100");
    total += t.owners[i].percent;
  }
  if (total > 100 + 1e-9) throw InputError("owners", "the owners' shares add up to more than 100 percent");
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

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (!contains(list, item)) list.push_back(item);
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

// A set of a condition as a reader names it: D4, or MO for ["MO"].
std::string set_label(const std::string& set) {
  if (set.size() < 2 || set.front() != '[') return set;
  std::string out;
  for (char c : set)
    if (c != '[' && c != ']' && c != '"' && c != '\'') out += c;
  return out;
}

}  // namespace

// Why a requirement's condition did not hold, in words, from its false tests:
// "IL is in D4, but also in A6, which this requirement excludes".
std::string explain_not_met(const std::vector<rules::Comparison>& comparisons,
                            const rules::CountryGroups& groups, bool parties_named) {
  std::vector<std::string> parts;
  for (const auto& c : comparisons) {
    if (c.result != rules::Tri::False) continue;
    std::string part;
    if (c.op == "in" && !c.sets.empty() && c.left_value.kind == rules::Value::Kind::String) {
      std::vector<std::string> in, also, outside;
      for (const auto& t : c.sets) {
        if (t.subtracted && t.member) also.push_back(set_label(t.set));
        if (!t.subtracted && t.member) in.push_back(set_label(t.set));
        if (!t.subtracted && !t.member) outside.push_back(set_label(t.set));
      }
      const std::string who = c.left + " " + c.left_value.text;
      const bool literal_only = std::all_of(c.sets.begin(), c.sets.end(),
                                            [](const rules::SetTest& t) { return t.set.front() == '['; });
      if (in.empty()) {
        part = who + (literal_only ? " is not one of " : " is in none of ") + join(outside, ", ");
      } else {
        part = who + " is in " + join(in, ", ") + " but also in " + join(also, ", ") +
               ", which this requirement excludes";
      }
      // Say how sure the group lists that decided are.
      for (const auto& label : in.empty() ? outside : also)
        for (const auto& g : groups.groups())
          if (g.name == label && (g.evidence == rules::Evidence::U || !g.complete))
            part += " (" + g.name + " membership: evidence " + std::string(rules::to_string(g.evidence)) +
                    (g.complete ? "" : ", list known to be partial") + ")";
    } else if (c.op == "is" && c.left == "party_listed") {
      part = parties_named ? "no named party matched an Entity List entry in force on the date"
                           : "no party was named, so none was screened";
    } else {
      part = classify::describe_miss(c);
    }
    add_unique(parts, part);
  }
  return join(parts, "; ");
}

Engine::Engine(const rules::RuleSet& rules, const classify::Classifier& classifier,
               const PartyScreen* parties)
    : rules_(rules), classifier_(classifier), parties_(parties) {
  auto compile = [](const rules::RuleVersion* v, const rules::Provision& p, const char* name_key) {
    Compiled c;
    c.rule = v;
    c.provision = &p;
    c.enforced = v->status == "in-force";
    c.opt_in = v->status == "not-enforced";
    c.name = p.outcome_or(name_key);
    c.flag = p.outcome_or("flag");
    c.warning = p.outcome_or("warning");
    c.policy = rules::parse_policy(p.outcome_or("policy")).value_or(Policy::None);
    c.policy_from = p.outcome_or("policy_from");
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

namespace {

// The decision being built, with the scratch state of one check.
struct Work {
  Decision& d;
  bool with_trace;
  std::vector<rules::Comparison> comparisons;

  void decided_by(const rules::RuleVersion* v) {
    if (v && std::find(d.deciding_rules.begin(), d.deciding_rules.end(), v) == d.deciding_rules.end())
      d.deciding_rules.push_back(v);
  }
  void reason(const rules::RuleVersion* v, const rules::Provision* p, std::string type,
              std::string requirement, std::string sentence, std::string detail = {}) {
    if (!with_trace) return;
    Reason r;
    r.rule = v;
    r.provision = p;
    r.type = std::move(type);
    r.requirement = std::move(requirement);
    r.sentence = std::move(sentence);
    r.comparisons = comparisons;
    r.detail = std::move(detail);
    d.reasons.push_back(std::move(r));
  }
};

std::string score_text(double score) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", score);
  return buf;
}

}  // namespace

Decision Engine::check(const Transaction& t, bool with_trace,
                       const classify::Classification* classification) const {
  Decision d;
  Work w{d, with_trace, {}};
  const auto& groups = rules_.country_groups();
  d.classification = classification != nullptr && !with_trace
                         ? *classification
                         : classifier_.classify(*t.item, t.date, with_trace);
  d.destination = groups.canonical(t.to);
  d.headquarters = groups.canonical(t.hq.empty() ? t.to : t.hq);
  const std::string export_from = groups.canonical(t.export_from);
  if (with_trace && d.destination != t.to) {
    const auto* ta = groups.treat_as(t.to);
    w.reason(rules_.find(groups.rule_id()), nullptr, "destination", {},
             t.to + " is evaluated as " + d.destination +
                 (ta && !ta->note.empty() ? " (" + ta->note + ")" : "") + "; evidence " +
                 std::string(rules::to_string(ta ? ta->evidence : rules::Evidence::U)) + ".");
  }

  // Parties: Entity List entries in force on the date, unless adjudicated.
  bool listed = false;
  if (!t.parties.empty() && parties_ == nullptr)
    throw std::logic_error("license engine built without party screening was given parties");
  if (parties_ != nullptr) {
    for (const auto& name : t.parties) {
      bool found = false;
      for (auto& hit : parties_->find(name, t.to)) {
        const auto start = Date::parse(hit.start_date);
        if (hit.entity_list && start && *start > t.date) continue;  // not yet listed
        found = true;
        const bool counts = hit.entity_list && hit.adjudication.empty();
        listed = listed || counts;
        if (with_trace) {
          std::string detail = hit.license_requirement;
          if (!hit.alignment.empty())
            detail += (detail.empty() ? "" : "; ") + ("alignment: " + hit.alignment);
          if (!hit.name_source.empty()) detail += (detail.empty() ? "" : "; ") + hit.name_source;
          if (!hit.adjudication.empty()) detail += (detail.empty() ? "" : "; ") + hit.adjudication;
          w.reason(nullptr, nullptr, "party", {},
                   "'" + name + "' matches '" + hit.matched_name + "' (" + hit.name + ", score " +
                       score_text(hit.score) + ") on " + hit.source +
                       (hit.federal_register_notice.empty() ? "" : ", " + hit.federal_register_notice) +
                       (hit.start_date.empty() ? "" : ", listed " + hit.start_date) +
                       (hit.adjudication.empty() ? "" : " — adjudicated, not counted as listed"),
                   detail);
        }
        d.parties.push_back(std::move(hit));
      }
      if (!found && with_trace)
        w.reason(nullptr, nullptr, "party", {},
                 "'" + name + "': no Entity List entry in force on " + t.date.str() + " matches (" +
                     parties_->description() + ")");
    }
  }

  // Owners: screened like parties (with the headquarters country as
  // evidence); the shares of owners matching an Entity List entry in force
  // are summed against the Affiliates rule's 50 percent line.
  if (!t.owners.empty() && parties_ == nullptr)
    throw std::logic_error("license engine built without party screening was given owners");
  for (const auto& owner : t.owners) {
    std::vector<PartyHit> listed_hits;
    for (auto& hit : parties_->find(owner.name, t.hq.empty() ? t.to : t.hq)) {
      const auto start = Date::parse(hit.start_date);
      if (!hit.entity_list || !hit.adjudication.empty() || (start && *start > t.date)) continue;
      listed_hits.push_back(std::move(hit));
    }
    if (!listed_hits.empty()) d.listed_ownership += owner.percent;
    if (with_trace) {
      char share[32];
      std::snprintf(share, sizeof share, "%g%%", owner.percent);
      const std::string who = "owner '" + owner.name + "' (" + share + ")";
      if (listed_hits.empty()) {
        w.reason(nullptr, nullptr, "ownership", {},
                 who + ": no Entity List entry in force on " + t.date.str() + " matches (" +
                     parties_->description() + ")");
      } else {
        const PartyHit& h = listed_hits.front();
        w.reason(nullptr, nullptr, "ownership", {},
                 who + " matches '" + h.matched_name + "' (" + h.name + ", score " + score_text(h.score) +
                     ") on " + h.source +
                     (h.federal_register_notice.empty() ? "" : ", " + h.federal_register_notice) +
                     (h.start_date.empty() ? "" : ", listed " + h.start_date),
                 h.alignment.empty() ? std::string() : "alignment: " + h.alignment);
      }
    }
    d.owners.emplace_back(owner, std::move(listed_hits));
  }
  if (with_trace && !t.owners.empty()) {
    char sum[32];
    std::snprintf(sum, sizeof sum, "%g", d.listed_ownership);
    w.comparisons.clear();
    w.reason(nullptr, nullptr, "ownership", {},
             std::string("owners on the Entity List hold ") + sum + "% of the end user, " +
                 (d.listed_ownership >= 50 ? "at or above" : "below") +
                 " the 50% line of the Affiliates rule");
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
  in[rules::kListedOwnership] = rules::Value::of(d.listed_ownership);
  const GroupsOnDate sets(groups, t.date);

  // Evaluates a provision; an unknown result leaves the decision open and
  // records which inputs and tests it needs.
  auto evaluate = [&](const Compiled& c) {
    w.comparisons.clear();
    const rules::Condition& when = c.provision->when;
    Tri r = with_trace ? when.evaluate(in, &sets, w.comparisons) : when.evaluate(in, &sets);
    if (r == Tri::Unknown) {
      if (!with_trace) when.evaluate(in, &sets, w.comparisons);
      d.complete = false;
      for (const auto& cmp : w.comparisons) {
        if (cmp.result != Tri::Unknown) continue;
        for (const auto& input : rules::unknown_inputs_of(cmp, in)) {
          if (input == "eccn" || input == "paragraph") continue;  // the classification's own inputs decide
          add_unique(d.missing_inputs, input);
          d.needed.push_back({input, c.rule->id, c.provision->id, cmp.test});
        }
      }
    }
    return r;
  };

  const Interval& rules_now = interval_on(t.date);
  // --apply-ai-diffusion opts in to rules that are not enforced; never to information or suspended rules.
  auto applies = [&](const Compiled& c) { return c.enforced || (c.opt_in && t.apply_ai_diffusion); };
  std::vector<const Compiled*> applied;
  bool requirement_open = false;
  for (const auto& c : rules_now.requirements) {
    if (!applies(c)) continue;
    const Tri r = evaluate(c);
    requirement_open = requirement_open || r == Tri::Unknown;
    if (r == Tri::False) {
      if (with_trace)
        w.reason(c.rule, c.provision, "not-applicable", c.name,
                 explain_not_met(w.comparisons, groups, !t.parties.empty()));
      continue;
    }
    if (r == Tri::Unknown) {
      if (!with_trace) continue;
      std::vector<std::string> open;
      for (const auto& cmp : w.comparisons)
        if (cmp.result == Tri::Unknown) add_unique(open, cmp.left + " is unknown (" + cmp.test + ")");
      w.reason(c.rule, c.provision, "undetermined", c.name,
               "may apply: " + join(open, "; ") + ". " + c.provision->explanation);
      continue;
    }
    add_unique(d.requirements, c.name);
    applied.push_back(&c);
    // In force but not yet to be complied with (a rule's compliance date after its effective date).
    if (const auto compliance = Date::parse(c.rule->attribute_or("compliance_from"));
        compliance && t.date < *compliance) {
      add_unique(d.flags, "before-compliance-date");
      add_unique(d.warnings, c.rule->id + " is in force from " + c.rule->effective_from.str() +
                                 "; compliance is required from " + compliance->str());
    }
    // A requirement may carry a flag of its own (e.g. "is-informed": not published regulation).
    if (!c.flag.empty()) add_unique(d.flags, c.flag);
    w.decided_by(c.rule);
    if (with_trace) w.reason(c.rule, c.provision, "requirement", c.name, c.provision->explanation);
  }
  for (const auto& c : rules_now.flags) {
    if (!applies(c) || evaluate(c) != Tri::True) continue;
    add_unique(d.flags, c.name);
    if (!c.warning.empty()) add_unique(d.warnings, c.warning);
    w.decided_by(c.rule);
    if (with_trace) w.reason(c.rule, c.provision, "flag", {}, c.provision->explanation);
  }
  if (with_trace) {
    // Information never decides; it explains rules that are not enforced.
    for (const auto& c : rules_now.information) {
      if (applies(c)) continue;
      std::vector<rules::Comparison> saved;
      if (c.provision->when.evaluate(in, &sets, saved) != Tri::True) continue;
      w.comparisons = std::move(saved);
      w.reason(c.rule, c.provision, "information", {}, c.provision->explanation);
    }
  }
  if (listed) add_unique(d.flags, "entity-list");
  d.license_required = !d.requirements.empty();
  d.determined = d.license_required || !requirement_open;

  // Review policy per requirement: the matched list entries' own policy where
  // the requirement says so, else the first policy line that matches it.
  for (const auto& req : d.requirements) {
    Policy policy = Policy::None;
    std::string from;
    for (const Compiled* c : applied)
      if (c->name == req && !c->policy_from.empty()) from = c->policy_from;
    if (!from.empty()) {
      // The listed entries' own policies: the matched parties', or the listed owners'.
      std::vector<const PartyHit*> entries;
      for (const auto& hit : d.parties)
        if (from == "entry" && hit.entity_list && hit.adjudication.empty()) entries.push_back(&hit);
      for (const auto& [owner, hits] : d.owners)
        if (from == "owners" && !hits.empty()) entries.push_back(&hits.front());
      for (const PartyHit* entry : entries) {
        const PartyHit& hit = *entry;
        w.comparisons.clear();
        if (with_trace)
          w.reason(nullptr, nullptr, "policy", req,
                   hit.name + ": " +
                       (hit.license_policy.empty()
                            ? std::string("license policy not stated in the list entry (UNCONFIRMED)")
                            : hit.license_policy));
        policy = std::max(policy, policy_from_text(hit.license_policy));
      }
    } else {
      for (const auto& c : rules_now.policies) {
        if (!applies(c) || !contains(c.targets, req)) continue;
        const Tri r = evaluate(c);
        if (r == Tri::Unknown) break;  // undetermined: evaluate() recorded the missing input
        if (r != Tri::True) continue;
        policy = c.policy;
        w.decided_by(c.rule);
        if (with_trace) w.reason(c.rule, c.provision, "policy", req, c.provision->explanation, c.detail);
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
      if (!applies(c) || contains(d.exceptions, c.name)) continue;
      bool relevant = false;
      for (const auto& req : d.requirements) relevant = relevant || contains(c.targets, req);
      if (!relevant || evaluate(c) != Tri::True) continue;
      d.exceptions.push_back(c.name);
      for (const auto& req : d.requirements)
        if (contains(c.targets, req)) overcome.push_back(req);
      w.decided_by(c.rule);
      if (with_trace) w.reason(c.rule, c.provision, "exception", {}, c.provision->explanation, c.detail);
    }
    d.exceptions_cover_all = !d.exceptions.empty();
    for (const auto& req : d.requirements)
      if (!contains(overcome, req)) d.exceptions_cover_all = false;
  }
  if (!d.classification.determined) {
    for (const auto& m : d.classification.missing_inputs) add_unique(d.missing_inputs, m);
    // The classification's open tests matter only when the answer is open.
    if (!d.complete)
      d.needed.insert(d.needed.begin(), d.classification.needed.begin(), d.classification.needed.end());
  }
  if (d.classification.deciding_rule && d.classification.eccn != "not-3A090")
    d.deciding_rules.insert(d.deciding_rules.begin(), d.classification.deciding_rule);
  if (d.complete) {
    // Unknown figures that could not change the answer: say so, do not ask for them.
    d.unknown_inputs = std::move(d.missing_inputs);
    d.missing_inputs.clear();
    d.needed.clear();
    if (with_trace) {
      auto note = [&](const std::vector<rules::Comparison>& cs) {
        for (const auto& c : cs)
          if (c.left_value.kind == rules::Value::Kind::Unknown && c.left != "eccn" && c.left != "paragraph")
            add_unique(d.unknown_inputs, c.left);
      };
      for (const auto& s : d.classification.trace) note(s.comparisons);
      for (const auto& r : d.reasons) note(r.comparisons);
    }
  }
  if (with_trace) d.why = why(d);
  return d;
}

std::string why(const Decision& d) {
  // Each open input once, with the first test it decides.
  std::vector<std::string> inputs, needs;
  for (const auto& n : d.needed)
    if (!contains(inputs, n.input)) {
      inputs.push_back(n.input);
      needs.push_back(n.input + " (" + n.provision + ": " + n.test + ")");
    }
  if (!d.determined) return "undetermined: needs " + join(needs, ", ");
  std::vector<std::string> parts;
  for (const auto& r : d.reasons) {
    if (d.license_required && r.type == "requirement")
      add_unique(parts, r.requirement + " (" + (r.rule ? r.rule->id : std::string()) + ")");
    if (!d.license_required && r.type == "not-applicable" && !r.sentence.empty())
      add_unique(parts, r.requirement + ": " + r.sentence);
  }
  std::string out = parts.empty() ? (d.license_required ? "" : "no requirement of the rules in force applies")
                                  : (d.license_required ? "required by " : "") + join(parts, "; ");
  if (!d.complete) out += "; still open without " + join(needs, ", ");
  return out;
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
  for (const auto& warning : d.warnings) s += " — " + warning;
  if (!d.complete) {
    std::vector<std::string> inputs;
    for (const auto& n : d.needed) add_unique(inputs, n.input);
    s += "; other requirements, review policy or exceptions open without " + join(inputs, ", ");
  }
  return s;
}

}  // namespace exportctl::license
