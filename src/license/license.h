#pragma once
// License determination: for an item, a destination, the end user's
// headquarters, the parties, an end use and a date, which license
// requirements apply, under which review policy, which license exceptions are
// available, which red flags are raised, and why (each step with its rule,
// citation and evidence level). Pure evaluation over an immutable RuleSet; an
// Engine is immutable after construction and may be shared by threads.

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "classify/classify.h"
#include "core/date.h"
#include "rules/rules.h"

namespace exportctl::license {

using rules::Policy;
using rules::to_string;
// Reads a list entry's free-text policy ("Presumption of denial ...").
Policy policy_from_text(std::string_view text);

// A restricted-list entry found for a party name.
struct PartyHit {
  std::string query;         // the name as given
  std::string matched_name;  // the entry's name or alias that matched
  double score = 1.0;
  std::string source, id, key, name, federal_register_notice, start_date, license_requirement, license_policy;
  bool entity_list = false;  // the source is the BIS Entity List
  std::string alignment;     // how the name matched, token by token, when fuzzy
  // When matched_name is not the list's own (a registered Chinese name from
  // the bilingual table): where that name was read, and what is unconfirmed.
  std::string name_source;
  // Non-empty when an adjudication accepted this pair as a false positive:
  // the hit is shown, but the party does not count as listed.
  std::string adjudication;
};

// Finds restricted-list entries for a party name; `country` (ISO code, may be
// empty) is evidence for the match. The engine implements it with fuzzy
// screening (engine/parties.h); tests may supply their own.
class PartyScreen {
 public:
  virtual ~PartyScreen() = default;
  virtual std::vector<PartyHit> find(std::string_view name, std::string_view country) const = 0;
  virtual std::string description() const = 0;
};

// An owner of the end user and its share (directly or indirectly held).
struct Owner {
  std::string name;
  double percent = 0;
};

struct Transaction {
  const classify::ItemSpec* item = nullptr;
  std::string to;  // destination, ISO code
  std::string hq;  // empty = same as `to`
  std::string export_from = "US";
  std::string end_use = "none";  // one of RuleSet::end_uses()
  Date date;
  std::vector<std::string> parties;
  std::vector<Owner> owners;  // of the end user, screened like parties
  bool apply_ai_diffusion = false;
};

// Throws InputError whose where() is the field: "to", "hq", "export_from",
// "end_use", "parties[i]" or "owners[i]".
void validate(const Transaction& t, const rules::RuleSet& rules);

struct Reason {
  const rules::RuleVersion* rule = nullptr;
  const rules::Provision* provision = nullptr;
  // requirement | not-applicable | undetermined | policy | exception | flag |
  // information | party | destination
  std::string type;
  std::string requirement;  // the requirement it concerns, if any
  std::string sentence;
  rules::Tri result = rules::Tri::True;
  std::vector<rules::Comparison> comparisons;
  std::string detail;  // e.g. exception notification, policy conditions
};

struct Decision {
  // Whether a license is required is known (some requirement applies, or
  // none can). `complete`: nothing else is open either (other requirements,
  // review policy, exceptions, flags); when not, `needed` says what would
  // settle the rest (e.g. a named MI308 needs a license, but whether 3A090
  // applies too, and so the policy, needs its TPP).
  bool determined = true;
  bool complete = true;
  std::vector<std::string> missing_inputs;
  // The tests an unknown input left open (with the classification's own).
  std::vector<classify::NeededTest> needed;
  // Traced answers only: inputs that were unknown although the answer is
  // determined, because no value of theirs could change it.
  std::vector<std::string> unknown_inputs;
  bool license_required = false;
  Policy policy = Policy::None;
  std::vector<std::string> requirements;  // requirement ids that apply
  std::vector<std::string> exceptions;    // exceptions available for them
  bool exceptions_cover_all = false;      // every requirement is overcome by an exception
  std::vector<std::string> flags;
  std::vector<std::string> warnings;  // what raised flags ask the reader to heed (from the rule data)
  std::string destination;            // as evaluated (HK -> CN)
  std::string headquarters;
  classify::Classification classification;
  std::vector<PartyHit> parties;
  // Owners' Entity List matches (in force, not adjudicated), and the summed
  // share of the owners that matched.
  std::vector<std::pair<Owner, std::vector<PartyHit>>> owners;
  double listed_ownership = 0;
  // Rule versions whose provisions decided (requirements, policies,
  // exceptions and flags that applied, and the classification's rule);
  // recorded without a trace, for batch and audit records.
  std::vector<const rules::RuleVersion*> deciding_rules;
  std::vector<Reason> reasons;  // filled when tracing
  std::string why;              // traced: the decisive reasons in one line
};

class Engine {
 public:
  Engine(const rules::RuleSet& rules, const classify::Classifier& classifier, const PartyScreen* parties);

  // `classification`, when given, must be the item's classification on
  // t.date without trace (batch callers cache it per rule period).
  Decision check(const Transaction& t, bool with_trace,
                 const classify::Classification* classification = nullptr) const;
  // Every date from `from` to `to` on which a rule or a country group changes.
  std::vector<Date> timeline_dates(Date from, Date to) const;
  const rules::RuleSet& rules() const { return rules_; }

 private:
  // A provision with its outcome fields parsed once, so that checking does no
  // map lookups or string splitting.
  struct Compiled {
    const rules::RuleVersion* rule = nullptr;
    const rules::Provision* provision = nullptr;
    bool enforced = true;              // false: not enforced, information, or suspended
    bool opt_in = false;               // a not-enforced rule --apply-ai-diffusion may apply
    std::string name;                  // requirement, flag, exception or information id
    std::vector<std::string> targets;  // policies: requirements; exceptions: requirements overcome
    Policy policy = Policy::None;
    std::string flag;         // requirements may raise a flag of their own
    std::string warning;      // flags: what the reader must heed
    std::string policy_from;  // requirements: "entry" (matched parties') or "owners" (listed owners')
    std::string detail;       // exception notification and conditions, policy conditions
  };
  struct Interval {
    Date from;
    std::vector<Compiled> requirements, flags, policies, exceptions, information;
  };
  const Interval& interval_on(Date date) const;

  const rules::RuleSet& rules_;
  const classify::Classifier& classifier_;
  const PartyScreen* parties_;
  std::vector<Interval> intervals_;
};

nlohmann::json to_json(const Decision& d, const Transaction& t, const rules::RuleSet& rules);
// One-line summary of a decision ("LICENSE REQUIRED (presumption of denial)").
std::string summary(const Decision& d);
// The decisive reasons in one line (complete for traced decisions).
std::string why(const Decision& d);
// Why a requirement's condition did not hold, in words, from its false tests.
std::string explain_not_met(const std::vector<rules::Comparison>& comparisons,
                            const rules::CountryGroups& groups, bool parties_named);

}  // namespace exportctl::license
