// Impact analysis over an order book: each order decided as of both dates
// through the engine's transaction reader, one change kind per order, totals
// summed per pipeline part (no locks) and merged at the end.

#include <algorithm>
#include <charconv>
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

// ---------------------------------------------------------------- amounts

bool parse_amount(std::string_view text, Amount& out) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 15 || fraction.size() > 4) return false;
  if (dot != std::string_view::npos && fraction.empty()) return false;
  Amount value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  Amount frac = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (c < '0' || c > '9') return false;
    frac = frac * 10 + (c - '0');
  }
  out = value * kAmountScale + frac;
  return true;
}

std::string format_amount(Amount amount) {
  const bool negative = amount < 0;
  if (negative) amount = -amount;
  Amount whole = amount / kAmountScale;
  auto frac = static_cast<int>(amount % kAmountScale);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(whole % 10)));
    whole /= 10;
  } while (whole > 0);
  std::reverse(digits.begin(), digits.end());
  char tail[8];
  std::snprintf(tail, sizeof tail, "%04d", frac);
  std::string decimals(tail);
  while (decimals.size() > 2 && decimals.back() == '0') decimals.pop_back();
  return (negative ? "-" : "") + digits + "." + decimals;
}

double to_double(Amount amount) {
  return static_cast<double>(amount) / static_cast<double>(kAmountScale);
}

void Bucket::add(std::uint64_t quantity, std::string_view currency, Amount amount) {
  ++orders;
  units += quantity;
  auto it = revenue.find(currency);
  if (it == revenue.end()) it = revenue.emplace(std::string(currency), 0).first;
  it->second += amount;
}

void Bucket::merge(const Bucket& other) {
  orders += other.orders;
  units += other.units;
  for (const auto& [currency, amount] : other.revenue) revenue[currency] += amount;
}

void Totals::merge(Totals&& other, std::size_t keep_bad) {
  for (std::size_t c = 0; c < kChangeCount; ++c) by_change[c].merge(other.by_change[c]);
  for (std::size_t d = 0; d < kDimensions; ++d)
    for (auto& [key, buckets] : other.by[d]) {
      auto& mine = by[d][key];
      for (std::size_t c = 0; c < kChangeCount; ++c) mine[c].merge(buckets[c]);
    }
  for (const auto& [k, n] : other.missing_before) missing_before[k] += n;
  for (const auto& [k, n] : other.missing_after) missing_after[k] += n;
  skipped += other.skipped;
  bad.insert(bad.end(), other.bad.begin(), other.bad.end());
  std::sort(bad.begin(), bad.end(), [](const BadRow& a, const BadRow& b) { return a.line < b.line; });
  if (bad.size() > keep_bad) bad.resize(keep_bad);
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
  std::unordered_map<std::string, std::pair<Outcome, Outcome>> answers;
  Totals totals;
  std::string key;
};

// Answers kept per part before the cache starts over (bounds memory on books
// with very many distinct transactions).
constexpr std::size_t kMaxAnswers = 100000;

void append_cell(std::string& out, std::string_view cell) {
  csv_append(out, cell);
  out += ',';
}

std::string quarter_of(Date date) {
  const std::string ymd = date.str();  // YYYY-MM-DD
  const int month = std::stoi(ymd.substr(5, 2));
  return ymd.substr(0, 4) + "-Q" + std::to_string((month - 1) / 3 + 1);
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
  const auto key_columns = [&] {
    std::vector<std::size_t> k;
    for (const char* name : {"item", "destination", "hq", "export_from", "end_use", "end_user", "owners"})
      if (const auto c = csv.column(name)) k.push_back(*c);
    return k;
  }();

  const unsigned part_count = engine::CsvPipeline::parts(options.threads);
  std::vector<std::unique_ptr<PartState>> states;
  for (unsigned k = 0; k < part_count; ++k) states.push_back(std::make_unique<PartState>(rows));
  const std::size_t keep_bad = options.reported_bad_rows;
  if (!options.strict)
    pipeline.skip_bad_records([&](std::size_t part, int line, const InputError& e) {
      Totals& t = states[part]->totals;
      ++t.skipped;
      if (t.bad.size() < keep_bad) t.bad.push_back({line, e.message()});
    });

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
      const auto ship = Date::parse(row[cols.ship_date]);
      if (!ship) fail("ship_date", "'" + row[cols.ship_date] + "' is not YYYY-MM-DD");

      license::Transaction t;
      state.reader.read(row, line, t);
      state.key.clear();
      for (std::size_t c : key_columns) {
        state.key += row[c];
        state.key += '\x1f';
      }
      auto found = state.answers.find(state.key);
      if (found == state.answers.end()) {
        if (state.answers.size() >= kMaxAnswers) state.answers.clear();
        t.date = options.before;
        Outcome b = outcome_of(state.reader.decide(t));
        t.date = options.after;
        Outcome a = outcome_of(state.reader.decide_with(*after, t));
        found = state.answers.emplace(state.key, std::make_pair(std::move(b), std::move(a))).first;
      }
      const Outcome& b = found->second.first;
      const Outcome& a = found->second.second;
      const Change change = change_between(b.side, a.side);
      const auto c = static_cast<std::size_t>(change);
      const Amount revenue = price * static_cast<Amount>(quantity);

      Totals& totals = state.totals;
      totals.by_change[c].add(quantity, currency, revenue);
      const std::string& item = state.reader.item_cell(row);
      const std::string customer = cols.end_user && !row[*cols.end_user].empty() ? row[*cols.end_user] : "";
      const std::string quarter = quarter_of(*ship);
      const std::string vendor = t.item->vendor.empty() ? "(vendor not given)" : t.item->vendor;
      const std::array<const std::string*, Totals::kDimensions> keys = {
          &vendor, &item, customer.empty() ? nullptr : &customer, &t.to, &quarter};
      for (std::size_t d = 0; d < Totals::kDimensions; ++d)
        if (keys[d]) totals.by[d][*keys[d]][c].add(quantity, currency, revenue);
      if (change == Change::Undetermined) {
        for (const auto& m : b.missing) ++totals.missing_before[m];
        for (const auto& m : a.missing) ++totals.missing_after[m];
      }

      append_cell(out, order_id);
      out += to_string(change);
      out += ',';
      out += b.required;
      out += ',';
      out += a.required;
      out += ',';
      out += b.policy;
      out += ',';
      out += a.policy;
      out += ',';
      out += format_amount(revenue);
      out += ',';
      out += currency;
      out += ',';
      out += a.rules;
      out += ',';
      append_cell(out, item);
      out += t.to;
      out += ',';
      append_cell(out, customer);
      out += quarter;
      out += ',';
      out += a.exceptions;
      out += ',';
      std::string missing;
      if (change == Change::Undetermined) {
        for (const auto& m : b.missing) missing += (missing.empty() ? "before: " : "; before: ") + m;
        for (const auto& m : a.missing) missing += (missing.empty() ? "after: " : "; after: ") + m;
      }
      csv_append(out, missing);
      out += '\n';
    };
  };
  pipeline.run(make_worker, changes, options.threads, options.progress);

  Totals totals;
  for (auto& s : states) totals.merge(std::move(s->totals), keep_bad);
  std::uint64_t decided = 0;
  for (const auto& b : totals.by_change) decided += b.orders;
  return summary_json(totals, options, decided, *before, *after);
}

}  // namespace exportctl::impact
