// Country codes (ICU) and dated Country Group membership.

#include <unicode/locid.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <bitset>
#include <cctype>
#include <map>
#include <set>

#include "rules/internal.h"
#include "rules/rules.h"

namespace exportctl::rules {

namespace {

int code_index(std::string_view code) {
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return -1;
  return (code[0] - 'A') * 26 + (code[1] - 'A');
}

const std::set<std::string, std::less<>>& iso_codes() {
  static const std::set<std::string, std::less<>> codes = [] {
    std::set<std::string, std::less<>> out;
    for (const char* const* c = uloc_getISOCountries(); *c != nullptr; ++c) out.emplace(*c);
    // ICU keeps a few deprecated codes; these are the current user-assigned and
    // exceptionally reserved ones we accept in addition: none needed so far.
    return out;
  }();
  return codes;
}

}  // namespace

bool is_country_code(std::string_view code) {
  // Called for every row of a batch: a bit per possible two-letter code.
  static const std::bitset<26u * 26u> valid = [] {
    std::bitset<26u * 26u> bits;
    for (const auto& c : iso_codes()) {
      const int i = code_index(c);
      if (i >= 0) bits.set(static_cast<std::size_t>(i));
    }
    return bits;
  }();
  const int i = code_index(code);
  return i >= 0 && valid.test(static_cast<std::size_t>(i));
}

std::string country_name(std::string_view code) {
  if (!is_country_code(code)) return {};
  icu::UnicodeString name;
  icu::Locale("", std::string(code).c_str()).getDisplayCountry(icu::Locale::getEnglish(), name);
  std::string out;
  name.toUTF8String(out);
  return out;
}

const CountryGroups::Period& CountryGroups::period(Date date) const {
  auto it = std::upper_bound(periods_.begin(), periods_.end(), date,
                             [](Date d, const Period& p) { return d < p.from; });
  return it == periods_.begin() ? periods_.front() : *std::prev(it);
}

int CountryGroups::group_index(std::string_view group) const {
  for (std::size_t i = 0; i < groups_.size(); ++i)
    if (groups_[i].name == group) return static_cast<int>(i);
  return -1;
}

bool CountryGroups::contains(int group, std::string_view code, Date date) const {
  const int bit = code_index(code);
  if (group < 0 || bit < 0 || periods_.empty()) return false;
  return period(date).members[static_cast<std::size_t>(group)].test(static_cast<std::size_t>(bit));
}

bool CountryGroups::contains(std::string_view group, std::string_view code, Date date) const {
  return contains(group_index(group), code, date);
}

CountryGroups::OnDate CountryGroups::on(Date date) const {
  OnDate o;
  if (!periods_.empty()) o.members_ = &period(date).members;
  return o;
}

bool CountryGroups::OnDate::contains(int group, std::string_view code) const {
  const int bit = code_index(code);
  if (members_ == nullptr || group < 0 || bit < 0 || static_cast<std::size_t>(group) >= members_->size())
    return false;
  return (*members_)[static_cast<std::size_t>(group)].test(static_cast<std::size_t>(bit));
}

std::vector<std::string> CountryGroups::groups_of(std::string_view code, Date date) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < groups_.size(); ++i)
    if (contains(static_cast<int>(i), code, date)) out.push_back(groups_[i].name);
  return out;
}

namespace {

// Lower-case letters and digits only: "Hong Kong SAR China" -> "hongkongsarchina".
std::string fold(std::string_view text) {
  std::string out;
  for (char c : text)
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(c)));
  return out;
}

// Edits (insert, delete, substitute, swap two neighbours) from a to b.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// Every ISO code under the names ICU knows for it, folded.
std::map<std::string, std::string, std::less<>> icu_names() {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& code : iso_codes()) {
    out.emplace(fold(code), code);
    const icu::Locale locale("", code.c_str());
    if (const char* alpha3 = locale.getISO3Country(); alpha3 && *alpha3) out.emplace(fold(alpha3), code);
    std::string name = country_name(code);
    out.emplace(fold(name), code);
    // ICU writes "Hong Kong SAR China", "Macao SAR China": people write "Hong Kong".
    if (const auto sar = name.find(" SAR"); sar != std::string::npos)
      out.emplace(fold(name.substr(0, sar)), code);
    // "Congo - Kinshasa", "Myanmar (Burma)": the part before the qualifier alone is ambiguous or fine;
    // keep the bracketed alternative as a name of its own.
    if (const auto open = name.find(" ("); open != std::string::npos && name.back() == ')') {
      out.emplace(fold(name.substr(0, open)), code);
      out.emplace(fold(name.substr(open + 2, name.size() - open - 3)), code);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> CountryGroups::parse_country(std::string_view text) const {
  // The common case first: an upper-case ISO code, as batch files carry.
  if (is_country_code(text)) return std::string(text);
  const std::string key = fold(text);
  if (key.empty()) return std::nullopt;
  if (const auto it = names_.find(key); it != names_.end()) return it->second;
  return std::nullopt;
}

std::vector<std::string> CountryGroups::suggest_country(std::string_view text) const {
  const std::string key = fold(text);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& [name, code] : names_) {
    if (name.size() < 2) continue;
    const std::size_t d = edit_distance(key, name);
    if (d <= std::max<std::size_t>(1, key.size() / 3)) scored.emplace_back(d, code);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, code] : scored) {
    const std::string label = code + " (" + country_name(code) + ")";
    if (std::find(out.begin(), out.end(), label) == out.end()) out.push_back(label);
    if (out.size() == 3) break;
  }
  return out;
}

const CountryGroups::TreatAs* CountryGroups::treat_as(std::string_view code) const {
  for (const auto& t : treat_as_)
    if (t.code == code) return &t;
  return nullptr;
}

std::string CountryGroups::canonical(std::string_view code) const {
  if (const auto* t = treat_as(code)) return t->as;
  return std::string(code);
}

std::vector<std::string> CountryGroups::group_names() const {
  std::vector<std::string> out;
  for (const auto& g : groups_) out.push_back(g.name);
  return out;
}

std::vector<Date> CountryGroups::change_dates() const {
  std::vector<Date> out;
  for (std::size_t i = 1; i < periods_.size(); ++i) out.push_back(periods_[i].from);
  return out;
}

// Builds the per-period membership tables from the snapshot and the changes:
// on a date D, membership is the snapshot with every change dated after D
// (and on or before the snapshot) undone, latest first, and every change
// dated after the snapshot but on or before D applied, earliest first.
struct CountryGroupsBuilder {
  static void build(CountryGroups& cg, CountryGroupsData data) {
    cg.rule_id_ = std::move(data.rule_id);
    cg.snapshot_ = data.snapshot;
    cg.groups_ = std::move(data.groups);
    cg.changes_ = std::move(data.changes);
    cg.treat_as_ = std::move(data.treat_as);
    cg.names_ = icu_names();
    for (const auto& [name, code] : data.names) cg.names_[fold(name)] = code;
    std::stable_sort(cg.changes_.begin(), cg.changes_.end(),
                     [](const auto& a, const auto& b) { return a.effective < b.effective; });
    std::stable_sort(data.overrides.begin(), data.overrides.end(),
                     [](const auto& a, const auto& b) { return a.effective < b.effective; });
    std::vector<Date> starts{Date::from_days(-1000000)};
    for (const auto& c : cg.changes_) starts.push_back(c.effective);
    for (const auto& o : data.overrides) starts.push_back(o.effective);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    cg.periods_.clear();
    for (Date from : starts) {
      CountryGroups::Period p{from, std::vector<CountryGroups::Members>(cg.groups_.size())};
      for (std::size_t g = 0; g < data.members.size(); ++g)
        for (const auto& code : data.members[g]) p.members[g].set(static_cast<std::size_t>(code_index(code)));
      auto set = [&](const CountryGroups::Change& c, bool value) {
        p.members[static_cast<std::size_t>(cg.group_index(c.group))].set(
            static_cast<std::size_t>(code_index(c.country)), value);
      };
      for (auto it = cg.changes_.rbegin(); it != cg.changes_.rend(); ++it)
        if (it->effective > from && it->effective <= cg.snapshot_) set(*it, it->change != "add");
      for (const auto& c : cg.changes_)
        if (c.effective <= from && c.effective > cg.snapshot_) set(c, c.change == "add");
      for (const auto& o : data.overrides) {
        if (o.effective > from) break;
        auto& members = p.members[static_cast<std::size_t>(cg.group_index(o.group))];
        if (!o.country.empty()) {
          members.set(static_cast<std::size_t>(code_index(o.country)), o.add);
          continue;
        }
        members.reset();
        for (const auto& code : o.members) members.set(static_cast<std::size_t>(code_index(code)));
      }
      cg.periods_.push_back(std::move(p));
    }
    // Listed with the data's changes (they already shaped the periods above).
    for (const auto& o : data.overrides) {
      const std::string note = "hypothetical (scenario " + o.source + ")";
      if (!o.country.empty()) {
        cg.changes_.push_back(
            {o.country, o.group, o.add ? "add" : "remove", o.effective, Evidence::U, note, o.source});
        continue;
      }
      for (const auto& code : o.members)
        cg.changes_.push_back(
            {code, o.group, "add", o.effective, Evidence::U, note + ": replaces the group", o.source});
    }
    std::stable_sort(cg.changes_.begin(), cg.changes_.end(),
                     [](const auto& a, const auto& b) { return a.effective < b.effective; });
  }
};

void build_country_groups(CountryGroups& cg, CountryGroupsData data) {
  CountryGroupsBuilder::build(cg, std::move(data));
}

}  // namespace exportctl::rules
