// The bilingual name table and the watch file (screen/names.h).

#include "screen/names.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <fstream>
#include <sstream>
#include <set>

#include "core/csv.h"
#include "core/date.h"
#include "core/error.h"
#include "screen/normalize.h"
#include "screen/screen.h"

namespace exportctl::screen {

namespace fs = std::filesystem;

namespace {

const std::set<std::string>& source_kinds() {
  static const std::set<std::string> kinds{"company_site", "annual_report", "exchange_filing",
                                           "government",   "encyclopedia",  "news"};
  return kinds;
}

bool has_han(const std::string& s) {
  for (char32_t c : utf8_to_u32(s))
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF))
      return true;
  return false;
}

bool is_url(const std::string& s) {
  return (s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0) && s.size() > 10 &&
         s.find_first_of(" \t\r\n") == std::string::npos;
}

// A CSV file with required columns, read row by row with "file:line" and
// the column named in every error.
class Table {
 public:
  Table(std::string_view content, std::string name, const std::vector<std::string>& required)
      : in_(std::string(content)), name_(std::move(name)) {
    reader_.emplace(in_, name_);
    for (const auto& c : required) columns_.emplace_back(c, reader_->require_column(c));
  }
  bool next() { return reader_->next(fields_); }
  std::string where() const { return location(name_, reader_->line()); }
  const std::string& get(std::string_view column) const {
    for (const auto& [name, index] : columns_)
      if (name == column) return fields_[index];
    throw InputError(name_, "internal: unknown column " + std::string(column));
  }
  const std::string& required(std::string_view column) const {
    const std::string& v = get(column);
    if (v.empty()) throw InputError(where(), "field '" + std::string(column) + "' is empty");
    return v;
  }
  std::string url(std::string_view column) const {
    const std::string& v = required(column);
    if (!is_url(v))
      throw InputError(where(), "field '" + std::string(column) + "' is not an http(s) URL: '" + v + "'");
    return v;
  }

 private:
  std::istringstream in_;
  std::string name_;
  std::optional<CsvReader> reader_;
  std::vector<std::pair<std::string, std::size_t>> columns_;
  std::vector<std::string> fields_;
};

std::vector<std::string> split_list(const std::string& cell) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= cell.size()) {
    std::size_t end = cell.find(';', start);
    if (end == std::string::npos) end = cell.size();
    std::string part = cell.substr(start, end - start);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

// What a name reduces to for "same entity" comparisons across list exports.
std::string signature(const Normalizer& normalizer, std::string_view name) {
  std::string sig;
  for (const auto& t : normalizer.normalize(name).tokens)
    if (t.kind != TokenKind::LegalForm && t.kind != TokenKind::Stopword) sig += t.key + " ";
  return sig;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot read the file");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

std::vector<NameTableRow> load_name_table(const fs::path& file) {
  return parse_name_table(read_file(file), file.string());
}

std::vector<WatchEntry> load_watch_file(const fs::path& file) {
  return parse_watch_file(read_file(file), file.string());
}

std::vector<NameTableRow> parse_name_table(std::string_view content, const std::string& name) {
  Table t(content, name,
          {"list_source_code", "list_id", "list_name", "zh_simplified", "zh_traditional", "source_url",
           "source_kind", "source_title", "read_on", "unconfirmed"});
  std::vector<NameTableRow> rows;
  while (t.next()) {
    NameTableRow r;
    r.origin = t.where();
    r.list_source_code = t.required("list_source_code");
    r.list_id = t.get("list_id");
    r.list_name = t.required("list_name");
    r.zh_simplified = t.get("zh_simplified");
    r.zh_traditional = t.get("zh_traditional");
    if (r.zh_simplified.empty() && r.zh_traditional.empty())
      throw InputError(r.origin, "fields 'zh_simplified' and 'zh_traditional' are both empty");
    for (const auto* zh : {&r.zh_simplified, &r.zh_traditional})
      if (!zh->empty() && !has_han(*zh))
        throw InputError(r.origin, "a Chinese name without Chinese characters: '" + *zh + "'");
    r.source_url = t.url("source_url");
    r.source_kind = t.required("source_kind");
    if (!source_kinds().count(r.source_kind))
      throw InputError(r.origin, "field 'source_kind': unknown kind '" + r.source_kind +
                                     "' (company_site, annual_report, exchange_filing, government, "
                                     "encyclopedia, news)");
    r.source_title = t.required("source_title");
    r.read_on = t.required("read_on");
    if (!Date::parse(r.read_on))
      throw InputError(r.origin, "field 'read_on' is not a date: '" + r.read_on + "'");
    r.unconfirmed = t.get("unconfirmed");
    rows.push_back(std::move(r));
  }
  return rows;
}

std::size_t apply_name_table(std::vector<Entry>& entries, const std::vector<NameTableRow>& table,
                             const Normalizer& normalizer) {
  std::size_t used = 0;
  for (const auto& row : table) {
    const std::string want = signature(normalizer, row.list_name);
    bool found = false;
    for (auto& e : entries) {
      if (e.source_code != row.list_source_code) continue;
      bool same = !row.list_id.empty() && e.id == row.list_id;
      if (!same) {
        same = signature(normalizer, e.name) == want;
        for (std::size_t i = 0; !same && i < e.alt_names.size(); ++i)
          same = signature(normalizer, e.alt_names[i]) == want;
      }
      if (!same) continue;
      found = true;
      for (const auto* zh : {&row.zh_simplified, &row.zh_traditional}) {
        if (zh->empty()) continue;
        const bool known = std::any_of(e.sourced_names.begin(), e.sourced_names.end(),
                                       [&](const SourcedName& n) { return n.name == *zh; });
        if (!known)
          e.sourced_names.push_back({*zh, row.source_url, row.source_kind, row.source_title, row.read_on,
                                     row.unconfirmed, row.origin});
      }
    }
    used += found;
  }
  return used;
}

std::vector<WatchEntry> parse_watch_file(std::string_view content, const std::string& name) {
  Table t(content, name,
          {"id", "name", "aliases", "countries", "status", "reported", "evidence", "source_url",
           "source_title", "notes"});
  std::vector<WatchEntry> out;
  std::set<std::string> ids;
  while (t.next()) {
    WatchEntry w;
    w.origin = t.where();
    w.id = t.required("id");
    if (!ids.insert(w.id).second) throw InputError(w.origin, "field 'id': '" + w.id + "' appears twice");
    w.name = t.required("name");
    w.aliases = split_list(t.get("aliases"));
    w.countries = split_list(t.get("countries"));
    w.status = t.required("status");
    w.reported = t.required("reported");
    w.evidence = t.required("evidence");
    w.source_url = t.url("source_url");
    w.source_title = t.required("source_title");
    w.notes = t.get("notes");
    out.push_back(std::move(w));
  }
  return out;
}

std::shared_ptr<const ListSnapshot> watch_snapshot(const std::vector<WatchEntry>& watch) {
  auto snap = std::make_shared<ListSnapshot>();
  snap->version = "watch";
  for (const auto& w : watch) {
    Entry e;
    e.source = "Watch (exportctl data/names/watch.csv): " + w.status;
    e.source_code = "WATCH";
    e.id = w.id;
    e.name = w.name;
    e.alt_names = w.aliases;
    e.countries = w.countries;
    e.remarks = "Reported " + w.reported + " (evidence " + w.evidence + "): " + w.source_title +
                (w.notes.empty() ? "" : ". " + w.notes);
    e.source_list_url = w.source_url;
    e.origin = w.origin;
    snap->entries.push_back(std::move(e));
  }
  return snap;
}

std::shared_ptr<const ListSnapshot> bundled_watch_snapshot() {
  static const auto snap = [] {
    const fs::path file = bundled_names_dir() / "watch.csv";
    return watch_snapshot(fs::exists(file) ? load_watch_file(file) : std::vector<WatchEntry>{});
  }();
  return snap;
}

nlohmann::json watch_json(std::string_view name, const ScreenOptions& options) {
  static const Screener screener(bundled_watch_snapshot(), bundled_normalizer());
  nlohmann::json out = nlohmann::json::array();
  ScreenOptions o = options;
  o.include_linked = false;
  for (const auto& m : screener.screen(name, o)) {
    const Entry& e = *m.entry;
    out.push_back({{"score", std::round(m.score * 10000.0) / 10000.0},
                   {"matched_name", m.matched_name},
                   {"id", e.id},
                   {"name", e.name},
                   {"status", e.source.substr(e.source.find(": ") + 2)},
                   {"remarks", e.remarks},
                   {"source_url", e.source_list_url},
                   {"information_only", "not a list match; it does not change a license answer"}});
  }
  return out;
}

}  // namespace exportctl::screen
