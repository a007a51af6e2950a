#pragma once
// Restricted-party lists: entries in the Consolidated Screening List's vocabulary
// whatever file they came from, immutable snapshots with provenance, loaders
// for each government layout, and the difference between two snapshots.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"

namespace exportctl::screen {

struct Address {
  std::string address, city, state, postal_code, country;
};

// A name of a listed entity that the list itself does not print (its
// registered Chinese name), from the project's bilingual table
// (screen/names.h), with the public source that prints it.
struct SourcedName {
  std::string name;
  std::string source_url;
  std::string source_kind;  // company_site, annual_report, exchange_filing, government, encyclopedia, news
  std::string source_title;
  std::string read_on;
  std::string unconfirmed;  // "" when the source ties the name to the entity; else what is not settled
  std::string origin;       // table file:line
};

// One record of a restricted-party list, in the Consolidated Screening List's
// vocabulary whatever file it came from.
struct Entry {
  std::string source;       // e.g. "Entity List (EL) - Bureau of Industry and Security"
  std::string source_code;  // EL, SDN, DPL, MEU, CMIC, METI, ... ("" when unknown)
  std::string id;           // list id (_id, OFAC ent_num, row id); unique within a snapshot
  std::string type;         // Entity, Individual, Vessel... ("" when the list does not say)
  std::string name;
  std::vector<std::string> alt_names;
  std::vector<Address> addresses;
  std::vector<std::string> countries;  // ISO 3166 alpha-2, upper case
  std::string programs;
  std::string federal_register_notice;
  std::string start_date;
  std::string end_date;
  std::string license_requirement;
  std::string license_policy;
  std::string remarks;
  std::string source_list_url;
  std::string origin;  // file (and line) the entry was read from
  // Entries of the same organisation on other lists (indices into the snapshot).
  std::vector<std::size_t> linked;
  // Names from the bilingual table; not part of the list record (nor of its
  // fingerprint), searched like alt_names.
  std::vector<SourcedName> sourced_names;

  // Short hash of the fields a screening decision depends on; an adjudication
  // stays valid only while it is unchanged.
  std::string fingerprint() const;
  std::string key() const { return source_code + ":" + id; }
};

// Where a snapshot's entries came from.
struct SourceFile {
  std::string file;    // file name as imported
  std::string format;  // csl-csv, csl-json, ofac-sdn, bis-dpl, kaist-json, el-academic-json
  std::string sha256;
  std::size_t rows = 0;
};

// An immutable set of list entries with provenance.
struct ListSnapshot {
  std::string version;  // "<created>-<hash prefix>" or "bundled-<hash prefix>"
  std::string created;  // ISO date the snapshot was built
  std::vector<SourceFile> files;
  std::vector<Entry> entries;

  const Entry* find(std::string_view key) const;
};

// Reads one list file, detecting its layout: CSL CSV (with or without _id),
// CSL JSON (array or {"results": [...]}), OFAC SDN CSV (sdn.csv; alt.csv and
// add.csv beside it are merged in), BIS Denied Persons (tab-separated), the
// KAIST compilation JSON, the EL academic JSON (with its _zh.json sibling).
// Throws InputError naming file, line and field on malformed input.
std::vector<Entry> load_list_file(const std::filesystem::path& file, SourceFile* info = nullptr);
// Same, from bytes already in memory (fuzzing, downloads). `name` picks the
// layout where the content does not (".txt" = DPL) and names errors.
std::vector<Entry> parse_list(std::string_view content, const std::string& name, SourceFile* info = nullptr);

// Builds a snapshot from list files and links records of one organisation
// across lists. `version_label` is prefixed to the content hash.
ListSnapshot build_snapshot(const std::vector<std::filesystem::path>& files,
                            const std::string& version_label);
class Normalizer;
// Links entries whose distinctive name tokens agree (pure; used by build_snapshot).
void link_entries(std::vector<Entry>& entries, const Normalizer& normalizer);

// The lists shipped in data/lists (the curated Entity List extract and
// permissively licensed government extracts).
std::filesystem::path bundled_lists_dir();
std::filesystem::path bundled_vocab_dir();
std::shared_ptr<const ListSnapshot> bundled_snapshot();

// ---------------------------------------------------------------- diff

struct EntryChange {
  const Entry* before = nullptr;    // null when added
  const Entry* after = nullptr;     // null when removed
  std::vector<std::string> fields;  // changed field names
};
// Added, removed and changed entries, keyed by source and id (by source and
// name when ids differ across exports). Pure.
std::vector<EntryChange> diff_snapshots(const ListSnapshot& before, const ListSnapshot& after);
// The entries added or changed from `before` to `after`, as a snapshot of
// their own: what re-screening after a list update must look at.
ListSnapshot changed_entries(const ListSnapshot& before, const ListSnapshot& after,
                             std::size_t* added = nullptr, std::size_t* changed = nullptr);

}  // namespace exportctl::screen
