// Impact analysis over an order book: each order decided as of both dates
// through the engine's transaction reader, one change kind per order, totals
// summed per pipeline part (no locks) and merged at the end.

#include <algorithm>
#include <charconv>
#include <array>
#include <unordered_map>

#include "core/csv.h"
#include "core/error.h"
#include "engine/pipeline.h"
#include "impact/internal.h"
#include "license/license.h"

namespace exportctl::impact {

using nlohmann::json;

std::string_view to_string(Change change) {
  switch (change) {
    case Change::NewlyRequired:
      return "newly_required";
    case Change::Freed:
      return "freed";
    case Change::Tightened:
      return "tightened";
    case Change::Eased:
      return "eased";
    case Change::Unchanged:
      return "unchanged";
    case Change::Undetermined:
      return "undetermined";
  }
  return "undetermined";
}

namespace {

// Strictness of a known review policy: none < approval < case-by-case < denial.
int strictness(rules::Policy p) {
  switch (p) {
    case rules::Policy::None:
      return 0;
    case rules::Policy::PresumptionOfApproval:
      return 1;
    case rules::Policy::CaseByCase:
      return 2;
    case rules::Policy::PresumptionOfDenial:
      return 3;
    case rules::Policy::Unconfirmed:
      return -1;
  }
  return -1;
}

}  // namespace

Change change_between(const Side& before, const Side& after) {
  if (!before.determined || !after.determined) return Change::Undetermined;
  if (!before.license_required && after.license_required) return Change::NewlyRequired;
  if (before.license_required && !after.license_required) return Change::Freed;
  if (!before.license_required) return Change::Unchanged;
  if (before.policy == after.policy && before.policy_known == after.policy_known) return Change::Unchanged;
  if (!before.policy_known || !after.policy_known) return Change::Undetermined;
  return strictness(after.policy) > strictness(before.policy) ? Change::Tightened : Change::Eased;
}

const char* const kChangesHeader =
    "order_id,change,license_required_before,license_required_after,policy_before,policy_after,revenue,"
    "currency,deciding_rules_after,item,destination,end_user,ship_quarter,exceptions_after,missing";

namespace {

// One side's answer for one distinct transaction, kept for the rows that repeat it.
struct Outcome {
  Side side;
  std::string required;    // "true" | "false" | "undetermined"
  std::string policy;      // rule-data spelling, empty for none
  std::string rules;       // deciding rule ids, ';'-separated
  std::string exceptions;  // ';'-separated
  std::vector<std::string> missing;
};

Outcome outcome_of(const license::Decision& d) {
  Outcome o;
  o.side.determined = d.determined;
  o.side.license_required = d.determined && d.license_required;
  o.side.policy = d.policy;
  o.side.policy_known = d.complete && d.policy != rules::Policy::Unconfirmed;
  o.required = !d.determined ? "undetermined" : d.license_required ? "true" : "false";
  if (d.determined && d.policy != rules::Policy::None) o.policy = std::string(rules::to_string(d.policy));
  for (std::size_t k = 0; k < d.deciding_rules.size(); ++k)
    o.rules += (k ? ";" : "") + d.deciding_rules[k]->id;
  for (std::size_t k = 0; k < d.exceptions.size(); ++k) o.exceptions += (k ? ";" : "") + d.exceptions[k];
  o.missing = d.missing_inputs;
  if (d.determined && d.license_required && d.policy == rules::Policy::Unconfirmed && o.missing.empty())
    o.missing.push_back("review policy unconfirmed");
  return o;
}

// Both sides' answers for one distinct transaction, with what rows need of it.
struct Answer {
  Outcome before, after;
  Change change = Change::Unchanged;
  std::string destination;  // as evaluated (ISO code)
  std::string vendor;
  std::string item;     // the item cell
  std::string middle;   // the changes.csv cells from change to deciding_rules_after (revenue spliced in)
  std::string missing;  // the changes.csv missing cell, empty unless undetermined
  std::array<std::uint32_t, 3> ids{};  // vendor, chip, destination value ids
  std::uint64_t undetermined_orders = 0;
};

// Names to small ids, so that totals are indexed rather than hashed per row.
class Ids {
 public:
  std::uint32_t of(const std::string& name) {
    if (const auto it = index_.find(name); it != index_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names_.size());
    index_.emplace(name, id);
    names_.push_back(name);
    return id;
  }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::unordered_map<std::string, std::uint32_t> index_;
  std::vector<std::string> names_;
};

struct Cell {
  std::uint64_t orders = 0;
  std::uint64_t units = 0;
  Amount revenue = 0;
};
using Cells = std::array<Cell, kChangeCount>;

enum Dimension : std::size_t { kVendor, kChip, kCustomer, kDestination, kQuarter };

struct OrderColumns {
  std::size_t order_id, quantity, unit_price, currency, ship_date;
  std::optional<std::size_t> end_user;
};

// Per part: the transaction reader with its caches, the answers already
// given, and the running totals. Parts never run concurrently with
// themselves, so none of this is locked.
struct PartState {
  explicit PartState(const engine::TransactionRows& rows) : reader(rows) {}
  engine::TransactionRows::Reader reader;
  // The party cells of a row as written (destination, headquarters, end
  // user, owners) -> what its names match on the lists; and the answer of
  // each distinct transaction (same fields, same list matches).
  struct PartyKey {
    std::string screening;       // TransactionRows::Reader::screening_key
    std::int64_t customer = -1;  // the end user's id in ids[kCustomer], -1 for none
  };
  std::unordered_map<std::string, PartyKey> party_keys;
  std::unordered_map<std::string, std::uint32_t> answer_index;
  std::vector<Answer> answers;
  std::array<Ids, Totals::kDimensions> ids;  // the quarter dimension is indexed by its number instead
  std::vector<std::string> currencies;
  // [dimension][currency][value] and [currency] totals by change kind.
  std::array<std::vector<std::vector<Cells>>, Totals::kDimensions> by;
  std::vector<Cells> by_change;
  std::uint64_t skipped = 0;
  std::vector<BadRow> bad;
  std::string key;

  void add(std::size_t dimension, std::size_t currency, std::uint32_t value, Change change,
           std::uint64_t units, Amount revenue) {
    auto& per_currency = by[dimension];
    if (per_currency.size() <= currency) per_currency.resize(currency + 1);
    auto& values = per_currency[currency];
    if (values.size() <= value) values.resize(value + 1);
    Cell& c = values[value][static_cast<std::size_t>(change)];
    ++c.orders;
    c.units += units;
    c.revenue += revenue;
  }

  // Folds this part into `totals` by name.
  void merge_into(Totals& totals, std::size_t keep_bad) {
    const auto fold = [&](Bucket& b, const Cell& c, const std::string& currency) {
      b.orders += c.orders;
      b.units += c.units;
      b.revenue[currency] += c.revenue;
    };
    for (std::size_t cur = 0; cur < by_change.size(); ++cur)
      for (std::size_t k = 0; k < kChangeCount; ++k)
        if (by_change[cur][k].orders) fold(totals.by_change[k], by_change[cur][k], currencies[cur]);
    for (std::size_t d = 0; d < Totals::kDimensions; ++d)
      for (std::size_t cur = 0; cur < by[d].size(); ++cur)
        for (std::size_t v = 0; v < by[d][cur].size(); ++v)
          for (std::size_t k = 0; k < kChangeCount; ++k) {
            const Cell& c = by[d][cur][v][k];
            if (!c.orders) continue;
            const std::string name =
                d == kQuarter ? std::to_string(v / 4) + "-Q" + std::to_string(v % 4 + 1) : ids[d].names()[v];
            fold(totals.by[d][name][k], c, currencies[cur]);
          }
    for (const auto& a : answers) {
      if (!a.undetermined_orders) continue;
      for (const auto& m : a.before.missing) totals.missing_before[m] += a.undetermined_orders;
      for (const auto& m : a.after.missing) totals.missing_after[m] += a.undetermined_orders;
    }
    Totals part;
    part.skipped = skipped;
    part.bad = std::move(bad);
    totals.merge(std::move(part), keep_bad);
  }
};

// Party keys kept per part before that cache starts over (bounds memory on
// books with very many distinct customers).
constexpr std::size_t kMaxPartyKeys = 200000;

void append_cell(std::string& out, std::string_view cell) {
  csv_append(out, cell);
  out += ',';
}

// 4 * year + quarter - 1 from a cell Date::parse accepted (YYYY-MM-DD).
std::uint32_t quarter_index(const std::string& ymd) {
  const auto digit = [&](std::size_t i) { return static_cast<std::uint32_t>(ymd[i] - '0'); };
  const std::uint32_t year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const std::uint32_t month = digit(5) * 10 + digit(6);
  return year * 4 + (month - 1) / 3;
}

}  // namespace

json analyse(const std::shared_ptr<const engine::Snapshot>& before,
             const std::shared_ptr<const engine::Snapshot>& after, std::istream& orders,
             const std::string& source, std::ostream& changes, const Options& options) {
  engine::CsvPipeline pipeline(orders, source);
  const CsvReader& csv = pipeline.header();
  engine::TransactionColumnNames names;
  names.item = "item";
  names.to = "destination";
  names.date = "";  // each side's date is the analysis date, not a column
  names.party = "end_user";
  const engine::TransactionRows rows(before, csv, source, names, false);
  const OrderColumns cols{csv.require_column("order_id"),   csv.require_column("quantity"),
                          csv.require_column("unit_price"), csv.require_column("currency"),
                          csv.require_column("ship_date"),  csv.column("end_user")};
  // The cells a decision depends on: the transaction's own, and the party
  // cells, which count through what their names match on the lists (orders
  // of different customers that match nothing share one answer).
  const auto columns = [&](std::initializer_list<const char*> wanted) {
    std::vector<std::size_t> k;
    for (const char* name : wanted)
      if (const auto c = csv.column(name)) k.push_back(*c);
    return k;
  };
  const std::vector<std::size_t> party_columns = columns({"destination", "hq", "end_user", "owners"});
  const std::vector<std::size_t> answer_columns =
      columns({"item", "destination", "hq", "export_from", "end_use"});

  const unsigned part_count = engine::CsvPipeline::parts(options.threads);
  std::vector<std::unique_ptr<PartState>> states;
  for (unsigned k = 0; k < part_count; ++k) states.push_back(std::make_unique<PartState>(rows));
  const std::size_t keep_bad = options.reported_bad_rows;
  if (!options.strict)
    pipeline.skip_bad_records([&](std::size_t part, int line, const InputError& e) {
      PartState& s = *states[part];
      ++s.skipped;
      if (s.bad.size() < keep_bad) s.bad.push_back({line, e.message()});
    });

  // The answer of a row: reads and decides it only when no earlier row had
  // the same decision cells (every cell of a cached answer was read and
  // checked on the row that made it).
  const auto answer_of = [&](PartState& state, const std::vector<std::string>& row, int line,
                             std::int64_t& customer) -> std::uint32_t {
    license::Transaction t;
    bool read = false;
    state.key.clear();
    for (std::size_t c : party_columns) {
      state.key += row[c];
      state.key += '\x1f';
    }
    auto party = state.party_keys.find(state.key);
    if (party == state.party_keys.end()) {
      state.reader.read(row, line, t);
      read = true;
      if (state.party_keys.size() >= kMaxPartyKeys) state.party_keys.clear();
      PartState::PartyKey key{state.reader.screening_key(t), -1};
      if (cols.end_user && !row[*cols.end_user].empty())
        key.customer = state.ids[kCustomer].of(row[*cols.end_user]);
      party = state.party_keys.emplace(state.key, std::move(key)).first;
    }
    customer = party->second.customer;
    state.key.clear();
    for (std::size_t c : answer_columns) {
      state.key += row[c];
      state.key += '\x1f';
    }
    state.key += '\x1e';
    state.key += party->second.screening;
    if (const auto found = state.answer_index.find(state.key); found != state.answer_index.end())
      return found->second;
    if (!read) state.reader.read(row, line, t);
    Answer a;
    t.date = options.before;
    a.before = outcome_of(state.reader.decide(t));
    t.date = options.after;
    a.after = outcome_of(state.reader.decide_with(*after, t));
    a.change = change_between(a.before.side, a.after.side);
    a.destination = t.to;
    a.vendor = t.item->vendor.empty() ? "(vendor not given)" : t.item->vendor;
    a.item = state.reader.item_cell(row);
    a.ids = {state.ids[kVendor].of(a.vendor), state.ids[kChip].of(a.item), state.ids[kDestination].of(t.to)};
    a.middle = std::string(to_string(a.change)) + ',' + a.before.required + ',' + a.after.required + ',' +
               a.before.policy + ',' + a.after.policy + ',';
    if (a.change == Change::Undetermined) {
      for (const auto& m : a.before.missing) a.missing += (a.missing.empty() ? "before: " : "; before: ") + m;
      for (const auto& m : a.after.missing) a.missing += (a.missing.empty() ? "after: " : "; after: ") + m;
    }
    const auto id = static_cast<std::uint32_t>(state.answers.size());
    state.answers.push_back(std::move(a));
    state.answer_index.emplace(state.key, id);
    return id;
  };

  changes << kChangesHeader << '\n';
  const auto make_worker = [&](std::size_t part) -> engine::CsvPipeline::RowFn {
    PartState& state = *states[part];
    return [&](const std::vector<std::string>& row, int line, std::uint64_t, std::string& out) {
      const auto fail = [&](const char* column, const std::string& message) {
        throw InputError(location(source, line), std::string("column '") + column + "': " + message);
      };
      const std::string& order_id = row[cols.order_id];
      if (order_id.empty()) fail("order_id", "is empty");
      std::uint64_t quantity = 0;
      const std::string& q = row[cols.quantity];
      const auto [end, ec] = std::from_chars(q.data(), q.data() + q.size(), quantity);
      if (ec != std::errc() || end != q.data() + q.size() || quantity == 0 || quantity > 1000000000)
        fail("quantity", "'" + q + "' is not a whole number from 1 to 1,000,000,000");
      Amount price = 0;
      if (!parse_amount(row[cols.unit_price], price))
        fail("unit_price", "'" + row[cols.unit_price] +
                               "' is not a non-negative amount with at most four decimals (e.g. 12500.00)");
      const std::string& currency = row[cols.currency];
      if (currency.size() != 3 ||
          !std::all_of(currency.begin(), currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        fail("currency", "'" + currency + "' is not an ISO 4217 code (three capital letters, e.g. USD)");
      const std::string& ship_date = row[cols.ship_date];
      if (!Date::parse(ship_date)) fail("ship_date", "'" + ship_date + "' is not YYYY-MM-DD");

      std::int64_t customer = -1;
      Answer& a = state.answers[answer_of(state, row, line, customer)];
      const Amount revenue = price * static_cast<Amount>(quantity);
      std::size_t cur = 0;
      while (cur < state.currencies.size() && state.currencies[cur] != currency) ++cur;
      if (cur == state.currencies.size()) state.currencies.push_back(currency);
      if (state.by_change.size() <= cur) state.by_change.resize(cur + 1);
      Cell& total = state.by_change[cur][static_cast<std::size_t>(a.change)];
      ++total.orders;
      total.units += quantity;
      total.revenue += revenue;
      state.add(kVendor, cur, a.ids[0], a.change, quantity, revenue);
      state.add(kChip, cur, a.ids[1], a.change, quantity, revenue);
      state.add(kDestination, cur, a.ids[2], a.change, quantity, revenue);
      state.add(kQuarter, cur, quarter_index(ship_date), a.change, quantity, revenue);
      const bool has_customer = customer >= 0;
      if (has_customer)
        state.add(kCustomer, cur, static_cast<std::uint32_t>(customer), a.change, quantity, revenue);
      if (a.change == Change::Undetermined) ++a.undetermined_orders;

      append_cell(out, order_id);
      out += a.middle;
      out += format_amount(revenue);
      out += ',';
      out += currency;
      out += ',';
      out += a.after.rules;
      out += ',';
      append_cell(out, a.item);
      out += a.destination;
      out += ',';
      if (has_customer) csv_append(out, row[*cols.end_user]);
      out += ',';
      out.append(ship_date, 0, 4);
      out += "-Q";
      out += static_cast<char>('1' + quarter_index(ship_date) % 4);
      out += ',';
      out += a.after.exceptions;
      out += ',';
      csv_append(out, a.missing);
      out += '\n';
    };
  };
  pipeline.run(make_worker, changes, options.threads, options.progress);

  Totals totals;
  for (auto& s : states) s->merge_into(totals, keep_bad);
  std::uint64_t decided = 0;
  for (const auto& b : totals.by_change) decided += b.orders;
  return summary_json(totals, options, decided, *before, *after);
}

}  // namespace exportctl::impact
