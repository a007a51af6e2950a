#pragma once
// Restricted-party screening: list snapshots, name normalisation, an index and
// an explainable scorer.
//
// Contract: a ListSnapshot is immutable once built and a Screener only reads
// it, so one Screener is shared by every thread of a batch without locks.
// Loading and storing files are the only I/O (loaders, SnapshotStore); every
// scoring function is pure. Bad user input raises InputError naming the file,
// line and field; list files from the government are read leniently where a
// quirk is known (see docs/SCREENING.md) and strictly otherwise.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"

namespace exportctl::screen {

// ---------------------------------------------------------------- lists

struct Address {
  std::string address, city, state, postal_code, country;
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

// ---------------------------------------------------------------- store

// Per-user folder of versioned snapshots: DIR/lists/<version>/ holds copies of
// the imported files and manifest.json; DIR/lists/CURRENT names the one in use
// and is replaced atomically (write + rename) only after the new snapshot
// parsed completely, so a bad file never replaces a good snapshot.
class SnapshotStore {
 public:
  explicit SnapshotStore(std::filesystem::path data_dir);
  static std::filesystem::path default_dir();  // $XDG_DATA_HOME/exportctl or ~/.local/share/exportctl

  const std::filesystem::path& dir() const { return dir_; }
  std::optional<std::string> current() const;
  std::vector<std::string> versions() const;
  // Imports files into a new snapshot and makes it current; returns it.
  ListSnapshot import_files(const std::vector<std::filesystem::path>& files);
  // Same for downloaded bytes; `expected_sha256` (hex) is checked when given.
  ListSnapshot import_bytes(const std::string& content, const std::string& file_name,
                            const std::string& expected_sha256 = "");
  // A stored version, or a list file / folder of list files.
  ListSnapshot load(const std::string& version_or_path) const;
  // The current snapshot, or the bundled lists when there is none.
  std::shared_ptr<const ListSnapshot> current_or_bundled() const;

 private:
  ListSnapshot commit(const std::filesystem::path& staging);
  std::filesystem::path dir_;
};

// Downloads `url` with cpp-httplib; throws InputError on failure. I/O edge.
std::string http_get(const std::string& url);
inline constexpr const char* kDefaultCslUrl =
    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv";

// ---------------------------------------------------------------- normalisation

enum class TokenKind : unsigned char { Name, Initial, Number, Place, Descriptor, LegalForm, Stopword };
const char* to_string(TokenKind kind);

struct Token {
  std::string key;      // what matching compares: name text, or vocabulary id ("#13" for numbers)
  std::string surface;  // what the user wrote, for explanations ("有限公司", "Technologies")
  TokenKind kind = TokenKind::Name;
};

struct NormalizedName {
  std::string folded;  // NFKC-casefolded, simplified, romanised text (for surface similarity)
  std::vector<Token> tokens;
};

// Normalizer: the vocabulary-driven pipeline (src/screen/normalize.h).
std::shared_ptr<const Normalizer> load_normalizer(const std::filesystem::path& vocab_dir);
std::shared_ptr<const Normalizer> bundled_normalizer();
NormalizedName normalize(const Normalizer& normalizer, std::string_view text);

// Checks a query: non-empty, at most kMaxQueryBytes, valid UTF-8, no control
// characters. Throws InputError(where, ...) otherwise.
inline constexpr std::size_t kMaxQueryBytes = 4096;
void validate_query(std::string_view name, const std::string& where);

// ---------------------------------------------------------------- matching

struct AlignedPair {
  std::string query;   // query token surface(s), "" when a list token is unmatched
  std::string listed;  // list token surface(s), "" when a query token is unmatched
  std::string how;     // exact, vocabulary, fuzzy, joined, initial, unmatched
  std::string kind;    // token kind (name, descriptor, legal_form, ...)
  double similarity = 0;
  double weight = 0;  // weight of the tokens in the score
};

struct PairScore {
  double score = 0;
  std::vector<AlignedPair> alignment;
  std::vector<std::string> notes;  // penalties and evidence applied, in words
};

struct ScreenOptions {
  double threshold = 0.80;
  std::string country;  // ISO alpha-2; optional evidence
  std::size_t limit = 20;
  bool include_linked = true;
};
inline constexpr double kDefaultThreshold = 0.80;

struct Match {
  const Entry* entry = nullptr;
  double score = 0;
  std::string matched_name;
  PairScore detail;
  const Entry* via = nullptr;  // set when found through a linked record
};

// Candidate retrieval (token and character-trigram index with rarity weights)
// plus alignment scoring over one snapshot. Thread-safe for concurrent screen().
class Screener {
 public:
  Screener(std::shared_ptr<const ListSnapshot> snapshot, std::shared_ptr<const Normalizer> normalizer);
  ~Screener();
  Screener(const Screener&) = delete;
  Screener& operator=(const Screener&) = delete;

  // Matches at or above options.threshold, best first. Throws InputError for
  // an invalid query (see validate_query).
  std::vector<Match> screen(std::string_view name, const ScreenOptions& options = {}) const;
  // Scores two names with this index's rarity weights (pure; for evaluation).
  PairScore score_pair(std::string_view query, std::string_view listed) const;

  const ListSnapshot& snapshot() const { return *snapshot_; }
  const Normalizer& normalizer() const { return *normalizer_; }
  std::size_t indexed_names() const;

 private:
  struct Index;
  friend std::vector<Match> brute_force_jaro_winkler(const Screener&, std::string_view, double);
  std::shared_ptr<const ListSnapshot> snapshot_;
  std::shared_ptr<const Normalizer> normalizer_;
  std::unique_ptr<Index> index_;
};

// Baseline for benchmarks: Jaro-Winkler of the folded query against every
// listed name, the approach of most small screening tools.
std::vector<Match> brute_force_jaro_winkler(const Screener& screener, std::string_view name,
                                            double threshold);

// ---------------------------------------------------------------- results

// {"query", "threshold", "list_version", "matches": [...]} as issue 4 specifies.
nlohmann::json to_json(std::string_view query, const ScreenOptions& options, const ListSnapshot& snapshot,
                       const std::vector<Match>& matches);
nlohmann::json match_json(const Match& match);

// ---------------------------------------------------------------- adjudications

// An accepted false positive: this customer name against this entry, as the
// entry stood (fingerprint) when it was decided.
struct Adjudication {
  std::string customer;
  std::string entry;  // Entry::key()
  std::string entry_fingerprint;
  std::string decided_by;
  std::string date;
  std::string reason;
};
// CSV with header customer,entry,entry_fingerprint,decided_by,date,reason.
std::vector<Adjudication> load_adjudications(const std::filesystem::path& file);
// The adjudication that covers exactly this pair in the entry's current
// state, or null (a changed entry needs a new decision).
const Adjudication* adjudication_for(const std::vector<Adjudication>& adjudications,
                                     std::string_view customer, const Entry& entry);
// True when an adjudication covers exactly this pair in its current state.
bool suppressed(const std::vector<Adjudication>& adjudications, std::string_view customer,
                const Entry& entry);

// ---------------------------------------------------------------- license engine hook

// A screener over DATA_DIR's current snapshot (or the bundled lists when
// none was imported), with the bundled vocabularies. Build it once and share
// it: construction indexes every listed name.
std::shared_ptr<const Screener> make_screener(const std::filesystem::path& data_dir);

// Entity List matches for a party at the default threshold, best first, for
// the license engine (issue 3). Each carries the entry (license requirement,
// policy, FR notice) and the alignment.
std::vector<Match> entity_list_matches(const Screener& screener, std::string_view party,
                                       std::string_view country = {});

}  // namespace exportctl::screen
