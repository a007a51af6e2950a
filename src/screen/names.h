#pragma once
// Names the lists do not print: the project's bilingual table of listed
// Chinese entities (data/names/chinese_names.csv: each listed entity's
// registered Chinese name with the public source that prints it) and the
// watch file (data/names/watch.csv: parties publicly reported as under
// consideration for listing, shown as information, never as a list match).
//
// Both are data an analyst extends; a row without a source URL is an error.

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string_view>
#include <memory>
#include <string>
#include <vector>

namespace exportctl::screen {

struct Entry;
struct ListSnapshot;
class Normalizer;

// One row of the bilingual table.
struct NameTableRow {
  std::string list_source_code;  // EL, ...: the list the entity is on
  std::string list_id;           // id in the bundled extract ("" when matched by name only)
  std::string list_name;         // the entity's name as the list writes it
  std::string zh_simplified;     // as the source prints it
  std::string zh_traditional;    // only where a source prints it
  std::string source_url;
  std::string source_kind;  // company_site, annual_report, exchange_filing, government, encyclopedia, news
  std::string source_title;
  std::string read_on;  // YYYY-MM-DD
  // "" when the source ties the name to the listed entity; otherwise what is
  // not settled (shown with every match through this name).
  std::string unconfirmed;
  std::string origin;  // file:line
};

// Reads the table; throws InputError naming file, line and field.
std::vector<NameTableRow> load_name_table(const std::filesystem::path& file);
// Same, from bytes in memory; `name` names errors (fuzzing, tests).
std::vector<NameTableRow> parse_name_table(std::string_view content, const std::string& name);
std::filesystem::path bundled_names_dir();

// Attaches each row's names to the entries it denotes (same list and id, or
// same list and a name that normalises alike), as Entry::sourced_names.
// Returns the number of rows that found an entry. Pure over its inputs.
std::size_t apply_name_table(std::vector<Entry>& entries, const std::vector<NameTableRow>& table,
                             const Normalizer& normalizer);

// A party publicly reported as under consideration for listing.
struct WatchEntry {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  std::vector<std::string> countries;
  std::string status;    // e.g. "publicly reported as under consideration, not listed"
  std::string reported;  // when, as the source says
  std::string evidence;  // S (secondary), ...
  std::string source_url;
  std::string source_title;
  std::string notes;
  std::string origin;  // file:line
};

std::vector<WatchEntry> load_watch_file(const std::filesystem::path& file);
std::vector<WatchEntry> parse_watch_file(std::string_view content, const std::string& name);
// The watch entries as a snapshot of their own (source code WATCH), so they
// are screened by the same scorer and never mixed into the list snapshot.
std::shared_ptr<const ListSnapshot> watch_snapshot(const std::vector<WatchEntry>& watch);
std::shared_ptr<const ListSnapshot> bundled_watch_snapshot();

class Screener;
struct Match;
struct ScreenOptions;
// The bundled watch entries matching `name` (same scorer and threshold as
// list screening), as information: {"score", "matched_name", "id", "name",
// "status", "reported", "evidence", "source_url", "source_title", "notes",
// "information_only"}. Empty when nothing matches.
nlohmann::json watch_json(std::string_view name, const ScreenOptions& options);

}  // namespace exportctl::screen
