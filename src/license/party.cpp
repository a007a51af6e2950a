// Exact party lookup, the interim matcher before fuzzy screening: names are
// folded (case, punctuation, legal forms) and compared whole.

#include <algorithm>
#include <cctype>
#include <fstream>

#include "core/csv.h"
#include "core/error.h"
#include "license/license.h"

namespace exportctl::license {

namespace {

// Legal-form spellings folded to one token sequence. Kept short on purpose:
// fuzzy screening (src/screen) has the full, data-driven vocabulary.
const std::pair<std::string_view, std::string_view> kLegalForms[] = {{"company limited", "co ltd"},
                                                                     {"corporation limited", "corp ltd"},
                                                                     {"limited", "ltd"},
                                                                     {"corporation", "corp"},
                                                                     {"incorporated", "inc"},
                                                                     {"company", "co"}};

std::vector<std::string> split_list(const std::string& cell) {
  // CSL multi-valued cells are "; "-joined, often with "and " before the last.
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= cell.size()) {
    std::size_t end = cell.find(';', start);
    if (end == std::string::npos) end = cell.size();
    std::string item = cell.substr(start, end - start);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.erase(0, 1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.pop_back();
    if (item.rfind("and ", 0) == 0) item.erase(0, 4);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string ExactPartyList::fold(std::string_view name) {
  std::string out;
  bool space = true;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      out.push_back(static_cast<char>(u < 0x80 ? std::tolower(u) : u));
      space = false;
    } else if (!space) {
      out.push_back(' ');
      space = true;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out = " " + out + " ";
  for (const auto& [from, to] : kLegalForms) {
    const std::string f = " " + std::string(from) + " ";
    const std::string t = " " + std::string(to) + " ";
    for (std::size_t pos = out.find(f); pos != std::string::npos; pos = out.find(f, pos + t.size() - 1))
      out.replace(pos, f.size(), t);
  }
  return out.substr(1, out.size() - 2);
}

std::unique_ptr<ExactPartyList> ExactPartyList::load(const std::string& csv_path) {
  std::ifstream in(csv_path);
  if (!in) throw InputError(csv_path, "cannot open party list");
  CsvReader csv(in, csv_path);
  const auto name = csv.require_column("name"), alt = csv.require_column("alt_names"),
             source = csv.require_column("source"), fr = csv.require_column("federal_register_notice"),
             start = csv.require_column("start_date"), req = csv.require_column("license_requirement"),
             pol = csv.require_column("license_policy");
  const auto id = csv.column("_id");
  auto list = std::unique_ptr<ExactPartyList>(new ExactPartyList());
  list->path_ = csv_path;
  std::vector<std::string> row;
  while (csv.next(row)) {
    if (row[name].empty()) throw InputError(location(csv_path, csv.line()), "column 'name': empty");
    Entry e;
    e.hit.source = row[source];
    e.hit.id = id ? row[*id] : std::to_string(csv.line());
    e.hit.name = row[name];
    e.hit.federal_register_notice = row[fr];
    e.hit.start_date = row[start];
    e.hit.license_requirement = row[req];
    e.hit.license_policy = row[pol];
    e.hit.entity_list = row[source].find("Entity List") != std::string::npos;
    e.keys.emplace_back(fold(row[name]), row[name]);
    for (const auto& a : split_list(row[alt])) e.keys.emplace_back(fold(a), a);
    list->entries_.push_back(std::move(e));
  }
  return list;
}

std::vector<PartyHit> ExactPartyList::find(std::string_view name) const {
  const std::string key = fold(name);
  std::vector<PartyHit> hits;
  if (key.empty()) return hits;
  for (const auto& e : entries_) {
    for (const auto& [folded, original] : e.keys) {
      if (folded != key) continue;
      PartyHit h = e.hit;
      h.query = std::string(name);
      h.matched_name = original;
      hits.push_back(std::move(h));
      break;
    }
  }
  return hits;
}

std::string ExactPartyList::description() const {
  return "exact match (case, punctuation and legal forms folded) against " + path_;
}

}  // namespace exportctl::license
