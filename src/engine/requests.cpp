// Single requests: classify, check and screen, with their timelines, and the
// JSON every front end returns.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>

#include "core/error.h"
#include "core/json.h"
#include "engine/engine.h"
#include "engine/internal.h"
#include "screen/screen.h"

namespace exportctl::engine {

using nlohmann::json;

Date parse_date(const Snapshot& snapshot, const std::string& text, const std::string& field) {
  const auto d = Date::parse(text);
  if (!d) throw InputError(field, "'" + text + "' is not a date in the form YYYY-MM-DD");
  if (const auto from = snapshot.rules().coverage_from(); from && *d < *from)
    throw InputError(field,
                     "'" + text + "' is before " + from->str() + ", the earliest date the rule data covers");
  return *d;
}

std::shared_ptr<const classify::ItemSpec> load_spec(const Snapshot& snapshot, const std::string& path) {
  return std::make_shared<const classify::ItemSpec>(
      classify::load_spec_file(path, snapshot.rules().metrics()));
}

std::shared_ptr<const classify::ItemSpec> parse_spec(const Snapshot& snapshot, const json& spec,
                                                     const std::string& where) {
  if (!spec.is_object()) throw InputError(where, "must be an object with the item's datasheet figures");
  return std::make_shared<const classify::ItemSpec>(
      classify::parse_spec(dump_json(spec), where, false, snapshot.rules().metrics()));
}

namespace {

// The spec a request names; `holder` keeps a catalog chip's spec reachable
// the same way as a given one.
std::shared_ptr<const classify::ItemSpec> resolve(const std::shared_ptr<const Snapshot>& snapshot,
                                                  const Item& item) {
  if (!item.chip.empty() && item.spec) throw InputError("chip", "give either a chip id or a spec, not both");
  if (item.spec) return item.spec;
  if (item.chip.empty()) throw InputError("chip", "is required: a catalog chip id, or a spec instead");
  const catalog::Chip* chip = snapshot->catalog().find(item.chip);
  if (!chip) {
    std::string hint;
    for (const auto& s : snapshot->catalog().suggestions(item.chip)) hint += (hint.empty() ? "" : ", ") + s;
    throw InputError("chip", "unknown chip id '" + item.chip + "'" +
                                 (hint.empty() ? " (see the chip list)" : " (did you mean: " + hint + "?)"));
  }
  // Aliasing constructor: shares ownership of the snapshot, points at the chip.
  return std::shared_ptr<const classify::ItemSpec>(snapshot, &chip->spec);
}

// Groups the open tests by input, in the order they were found.
std::vector<Needed> group_needed(const std::vector<classify::NeededTest>& tests) {
  std::vector<Needed> out;
  for (const auto& t : tests) {
    auto it = std::find_if(out.begin(), out.end(), [&](const Needed& n) { return n.input == t.input; });
    if (it == out.end()) {
      out.push_back({t.input, classify::spec_field_for_input(t.input), {}});
      it = std::prev(out.end());
    }
    const std::string test = t.rule + " " + t.provision + ": " + t.test;
    if (std::find(it->tests.begin(), it->tests.end(), test) == it->tests.end()) it->tests.push_back(test);
  }
  return out;
}

json missing_json(const std::vector<Needed>& needed) {
  json out = json::array();
  for (const auto& n : needed) out.push_back({{"input", n.input}, {"field", n.field}, {"tests", n.tests}});
  return out;
}

void add_ids(std::vector<std::string>& ids, const rules::RuleVersion* v) {
  if (v && std::find(ids.begin(), ids.end(), v->id) == ids.end()) ids.push_back(v->id);
}

void require_date_or_timeline(const std::string& date, bool timeline) {
  if (timeline && !date.empty()) throw InputError("date", "cannot be combined with a timeline");
  if (!timeline && date.empty())
    throw InputError("date", "is required (YYYY-MM-DD), or ask for the timeline");
}

// One dated answer, whatever was asked: what a timeline is made of.
struct Point {
  bool determined = true;  // the verdict is known (missing figures may still leave details open)
  std::vector<classify::NeededTest> needed;
  std::vector<const rules::RuleVersion*> rules;
  json body;
  std::string verdict;  // compared between dates to mark changes
};

// A single answer, or one per date under `head` with the changes marked.
Response answer(const std::shared_ptr<const Snapshot>& snapshot, const std::vector<Date>& dates,
                bool timeline, json head, const std::function<Point(Date)>& at) {
  Response r;
  r.snapshot = snapshot;
  std::vector<classify::NeededTest> needed;
  json entries = json::array();
  std::string previous;
  for (Date d : dates) {
    Point p = at(d);
    r.determined = r.determined && p.determined;
    needed.insert(needed.end(), p.needed.begin(), p.needed.end());
    for (const auto* v : p.rules) add_ids(r.rule_ids, v);
    if (!p.needed.empty()) p.body["missing"] = missing_json(group_needed(p.needed));
    if (!timeline) {
      r.json = std::move(p.body);
      break;
    }
    p.body["changed"] = !previous.empty() && p.verdict != previous;
    previous = p.verdict;
    entries.push_back(std::move(p.body));
  }
  r.missing = group_needed(needed);
  if (timeline) {
    r.json = std::move(head);
    r.json["from"] = dates.empty() ? json(nullptr) : json(dates.front().str());
    r.json["determined"] = r.determined;
    r.json["timeline"] = std::move(entries);
    if (!r.missing.empty()) r.json["missing"] = missing_json(r.missing);
  }
  r.json["versions"] = snapshot->versions_json();
  if (!snapshot->versions().scenarios.empty())
    r.json["hypothetical"] = {{"scenarios", snapshot->versions().scenarios},
                              {"note", "answered with what-if scenario rules that are not in force"}};
  return r;
}

}  // namespace

Response classify(const std::shared_ptr<const Snapshot>& snapshot, const ClassifyRequest& request) {
  require_date_or_timeline(request.date, request.timeline);
  const auto spec = resolve(snapshot, request.item);
  const classify::Classifier& classifier = snapshot->classifier();
  const std::vector<Date> dates =
      request.timeline ? classifier.timeline_dates(snapshot->rules().timeline_from(), Date::today())
                       : std::vector<Date>{parse_date(*snapshot, request.date)};
  return answer(snapshot, dates, request.timeline, {{"chip", spec->name}, {"to", Date::today().str()}},
                [&](Date d) {
                  const auto c = classifier.classify(*spec, d, true);
                  return Point{c.determined,
                               c.needed,
                               {c.deciding_rule},
                               classify::to_json(c),
                               c.determined ? c.eccn + "|" + c.paragraph : "?"};
                });
}

std::string country_code(const Snapshot& snapshot, const std::string& text, const std::string& field) {
  const auto& groups = snapshot.rules().country_groups();
  if (auto code = groups.parse_country(text)) return *code;
  std::string hint;
  for (const auto& s : groups.suggest_country(text)) hint += (hint.empty() ? "" : ", ") + s;
  throw InputError(field, "'" + text +
                              "' is not a country: give an ISO 3166 code (CN, AE, US) or an English name" +
                              (hint.empty() ? std::string() : "; did you mean " + hint + "?"));
}

license::Owner parse_owner(const std::string& text, const std::string& field) {
  const auto eq = text.rfind('=');
  if (eq == std::string::npos)
    throw InputError(field, "'" + text + "' must be NAME=PERCENT, e.g. \"Huawei Technologies Co., Ltd.=60\"");
  license::Owner owner;
  owner.name = text.substr(0, eq);
  while (!owner.name.empty() && owner.name.back() == ' ') owner.name.pop_back();
  std::string number = text.substr(eq + 1);
  while (!number.empty() && (number.back() == '%' || number.back() == ' ')) number.pop_back();
  while (!number.empty() && number.front() == ' ') number.erase(number.begin());
  char* end = nullptr;
  owner.percent = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size())
    throw InputError(field, "'" + number + "' is not a percentage (NAME=PERCENT)");
  return owner;
}

namespace {

license::Transaction transaction(const Snapshot& snapshot, const CheckRequest& request,
                                 const classify::ItemSpec& spec) {
  if (request.to.empty()) throw InputError("to", "is required (ISO country code of the destination)");
  license::Transaction t;
  t.item = &spec;
  t.to = country_code(snapshot, request.to, "to");
  if (!request.hq.empty()) t.hq = country_code(snapshot, request.hq, "hq");
  t.export_from =
      request.export_from.empty() ? "US" : country_code(snapshot, request.export_from, "export_from");
  t.end_use = request.end_use.empty() ? "none" : request.end_use;
  t.parties = request.parties;
  t.owners = request.owners;
  t.apply_ai_diffusion = request.apply_ai_diffusion;
  license::validate(t, snapshot.rules());
  if ((!t.parties.empty() || !t.owners.empty()) && !snapshot.screening())
    throw std::logic_error("snapshot built without screening was asked to screen parties");
  for (std::size_t i = 0; i < t.parties.size(); ++i)
    screen::validate_query(t.parties[i], "parties[" + std::to_string(i) + "]");
  for (std::size_t i = 0; i < t.owners.size(); ++i)
    screen::validate_query(t.owners[i].name, "owners[" + std::to_string(i) + "]");
  return t;
}

}  // namespace

Response check(const std::shared_ptr<const Snapshot>& snapshot, const CheckRequest& request) {
  require_date_or_timeline(request.date, request.timeline);
  const auto spec = resolve(snapshot, request.item);
  license::Transaction t = transaction(*snapshot, request, *spec);
  const license::Engine& engine = snapshot->license();
  const std::vector<Date> dates =
      request.timeline ? engine.timeline_dates(snapshot->rules().timeline_from(), Date::today())
                       : std::vector<Date>{parse_date(*snapshot, request.date)};
  Response r = answer(snapshot, dates, request.timeline, {{"item", spec->name}, {"to", t.to}}, [&](Date d) {
    t.date = d;
    const auto decision = engine.check(t, true);
    return Point{decision.determined, decision.needed, decision.deciding_rules,
                 license::to_json(decision, t, snapshot->rules()), license::summary(decision)};
  });
  // Parties publicly reported as under consideration for listing: shown
  // beside the answer, never part of it.
  if (snapshot->screening()) {
    json watch = json::array();
    for (const auto& party : request.parties)
      for (auto& w : screen::watch_json(party, screen_options(std::nullopt, 20, "", "")))
        watch.push_back(std::move(w));
    if (!watch.empty()) r.json["watch"] = std::move(watch);
  }
  return r;
}

screen::ScreenOptions screen_options(std::optional<double> threshold, std::size_t limit,
                                     const std::string& country, const std::string& prefix) {
  screen::ScreenOptions options;
  options.threshold = threshold.value_or(screen::kDefaultThreshold);
  if (!(options.threshold >= 0.0 && options.threshold <= 1.0))
    throw InputError(prefix + "threshold", "must be between 0 and 1");
  if (limit == 0) throw InputError(prefix + "limit", "must be at least 1");
  options.limit = limit;
  if (!country.empty() && !rules::is_country_code(country))
    throw InputError(prefix + "country", "'" + country + "' is not an ISO 3166-1 alpha-2 country code");
  options.country = country;
  return options;
}

// Screens one name and renders the result; adjudicated matches are listed
// apart. Shared by single requests and batches.
json screen_result(const screen::Screener& screener, const std::vector<screen::Adjudication>& adjudications,
                   const std::string& name, const screen::ScreenOptions& options, std::size_t* match_count) {
  std::vector<screen::Match> matches, suppressed;
  for (auto& m : screener.screen(name, options)) {
    if (screen::suppressed(adjudications, name, *m.entry))
      suppressed.push_back(std::move(m));
    else
      matches.push_back(std::move(m));
  }
  json j = screen::to_json(name, options, screener.snapshot(), matches);
  if (json watch = screen::watch_json(name, options); !watch.empty()) j["watch"] = std::move(watch);
  if (!suppressed.empty()) {
    json s = json::array();
    for (const auto& m : suppressed) {
      const auto* a = screen::adjudication_for(adjudications, name, *m.entry);
      s.push_back({{"entry", m.entry->key()},
                   {"name", m.entry->name},
                   {"score", m.score},
                   {"decided_by", a->decided_by},
                   {"date", a->date},
                   {"reason", a->reason}});
    }
    j["suppressed_by_adjudication"] = std::move(s);
  }
  if (match_count) *match_count = matches.size();
  return j;
}

Response screen(const std::shared_ptr<const Snapshot>& snapshot, const ScreenRequest& request) {
  if (!snapshot->screening()) throw std::logic_error("snapshot built without screening was asked to screen");
  const std::string country =
      request.country.empty() ? "" : country_code(*snapshot, request.country, "country");
  const auto options = screen_options(request.threshold, request.limit, country, "");
  screen::validate_query(request.name, "name");
  Response r;
  r.snapshot = snapshot;
  r.json = screen_result(*snapshot->screener(), snapshot->adjudications(), request.name, options, nullptr);
  r.json["versions"] = snapshot->versions_json();
  return r;
}

}  // namespace exportctl::engine
