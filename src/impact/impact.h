#pragma once
// Impact analysis: every order of an order book decided under the rules as of
// one date and as of another (optionally with what-if scenario rules), each
// order given one change kind, and the orders, units and revenue of each kind
// summed by vendor, chip, customer, destination and ship quarter. Decisions
// come from the engine's batch pipeline and transaction reader: the same
// answers `exportctl check` gives, with no second decision path.
// Order book format and change kinds: docs/impact.md.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "engine/engine.h"

namespace exportctl::impact {

// What happened to one order between the two dates.
enum class Change { NewlyRequired, Freed, Tightened, Eased, Unchanged, Undetermined };
inline constexpr std::size_t kChangeCount = 6;
std::string_view to_string(Change change);

// One side's decision, reduced to what the comparison needs.
struct Side {
  bool determined = true;
  bool license_required = false;
  rules::Policy policy = rules::Policy::None;
  bool policy_known = true;  // false: determined, but the policy waits on a figure or is unconfirmed
};
// The change kind of one order (docs/impact.md): undetermined when either side
// is, or when a license is required on both sides and a policy that differs
// is not known on one of them.
Change change_between(const Side& before, const Side& after);

struct Options {
  Date before;
  Date after;
  bool strict = false;   // stop at the first bad row (InputError) instead of skipping it
  unsigned threads = 0;  // 0 = all cores
  engine::ProgressFn progress;
  std::size_t reported_bad_rows = 10;  // bad rows listed in the summary (all are counted)
  std::size_t top_customers = 10;
  std::size_t listed_customers = 1000;  // by_customer holds at most this many (largest exposure first)
};

// Columns of changes.csv, one row per decided order, in input order.
extern const char* const kChangesHeader;

// Decides every order of `orders` (CSV, header in docs/impact.md) under
// `before` as of options.before and `after` as of options.after, writes one
// changes.csv row per order to `changes`, and returns summary.json. Bad rows
// are skipped and counted (InputError naming source, line and column with
// options.strict); a file that is not an order book (missing columns) is an
// InputError either way. The caller writes nothing unless this returns.
nlohmann::json analyse(const std::shared_ptr<const engine::Snapshot>& before,
                       const std::shared_ptr<const engine::Snapshot>& after, std::istream& orders,
                       const std::string& source, std::ostream& changes, const Options& options);

// An impact analysis asked as JSON (the HTTP API's POST /v1/impact):
//   {"orders": "order book CSV text", "before": "D1", "after": "D2",
//    "scenarios": ["scenario YAML text", ...], "strict": false}
// decided on one thread (a server answers others meanwhile); returns
// summary.json. InputErrors name the JSON field: "orders" (the message
// starts with the line), "scenarios[1]" (likewise), "before", "after".
nlohmann::json analyse_request(const std::shared_ptr<const engine::Snapshot>& snapshot,
                               const nlohmann::json& body);

// Figures as people read them in the table and the report: 1234567 ->
// "1,234,567"; an amount with two decimals, 22176000.5 -> "22,176,000.50".
std::string grouped(std::uint64_t count);
std::string grouped_amount(double amount);

// report.html: one self-contained page (charting library inlined, no network)
// drawn from a summary.
std::string render_html(const nlohmann::json& summary);

}  // namespace exportctl::impact
