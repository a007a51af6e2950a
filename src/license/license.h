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

// Review policies, ordered from least to most restrictive. Unconfirmed: a
// requirement applies but the reference does not state its policy.
enum class Policy { None, Unconfirmed, PresumptionOfApproval, CaseByCase, PresumptionOfDenial };
std::string_view to_string(Policy p);
Policy parse_policy(std::string_view text);  // rule-data spelling
// Reads a list entry's free-text policy ("Presumption of denial ...").
Policy policy_from_text(std::string_view text);

// A restricted-list entry found for a party name.
struct PartyHit {
  std::string query;         // the name as given
  std::string matched_name;  // the entry's name or alias that matched
  double score = 1.0;
  std::string source, id, name, federal_register_notice, start_date, license_requirement, license_policy;
  bool entity_list = false;  // the source is the BIS Entity List
  std::string alignment;     // how the name matched, token by token, when fuzzy
};

// Finds restricted-list entries for a party name. The CLI implements it with
// fuzzy screening (cli/parties.h); tests may supply their own.
class PartyScreen {
 public:
  virtual ~PartyScreen() = default;
  virtual std::vector<PartyHit> find(std::string_view name) const = 0;
  virtual std::string description() const = 0;
};

struct Transaction {
  const classify::ItemSpec* item = nullptr;
  std::string to;  // destination, ISO code
  std::string hq;  // empty = same as `to`
  std::string export_from = "US";
  std::string end_use = "none";  // none | supercomputer | advanced-ic
  Date date;
  std::vector<std::string> parties;
  bool apply_ai_diffusion = false;
};

// Throws InputError for unknown countries, end uses or conflicting values.
void validate(const Transaction& t, const rules::RuleSet& rules);

struct Reason {
  const rules::RuleVersion* rule = nullptr;
  const rules::Provision* provision = nullptr;
  std::string type;         // requirement | policy | exception | flag | information | party | destination
  std::string requirement;  // the requirement it concerns, if any
  std::string sentence;
  rules::Tri result = rules::Tri::True;
  std::vector<rules::Comparison> comparisons;
  std::string detail;  // e.g. exception notification, policy conditions
};

struct Decision {
  bool determined = true;
  std::vector<std::string> missing_inputs;
  bool license_required = false;
  Policy policy = Policy::None;
  std::vector<std::string> requirements;  // requirement ids that apply
  std::vector<std::string> exceptions;    // exceptions available for them
  bool exceptions_cover_all = false;      // every requirement is overcome by an exception
  std::vector<std::string> flags;
  std::string destination;  // as evaluated (HK -> CN)
  std::string headquarters;
  classify::Classification classification;
  std::vector<PartyHit> parties;
  std::vector<Reason> reasons;  // filled when tracing
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
    bool enforced = true;              // false: a not-enforced rule (AI Diffusion)
    std::string name;                  // requirement, flag, exception or information id
    std::vector<std::string> targets;  // policies: requirements; exceptions: requirements overcome
    Policy policy = Policy::None;
    std::string flag;    // requirements may raise a flag of their own
    std::string detail;  // exception notification and conditions, policy conditions
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
// Text for a person: the decision first, then the reasons as a short tree.
std::string render_text(const nlohmann::json& decision);
// One-line summary of a decision ("LICENSE REQUIRED (presumption of denial)").
std::string summary(const Decision& d);

}  // namespace exportctl::license
