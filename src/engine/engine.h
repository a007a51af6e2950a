#pragma once
// The engine: the one entry point every front end (the CLI, the HTTP server,
// the web page, impact analysis) uses. It composes the components into an
// immutable Snapshot (rules, catalog, classifier, license engine, screener,
// adjudications and their versions), answers plain request structs with
// response values that carry the verdict, its reasons, what is missing and the
// versions used, and runs batches on every core in input order.
//
// Errors in a request are InputErrors whose where() is the request field's
// path ("to", "date", "parties[1]", "spec.dense_tops.fp8"); front ends map
// paths to their own vocabulary (a flag, a CSV column, a JSON pointer).
// Batch errors name the file, line and column themselves.

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "classify/classify.h"
#include "core/date.h"
#include "license/license.h"
#include "rules/rules.h"

namespace exportctl::screen {
class Screener;
struct Adjudication;
}  // namespace exportctl::screen

namespace exportctl::engine {

// The exportctl version (from the build), e.g. "0.1.0".
const char* version();

// ---------------------------------------------------------------- snapshot

// Where a snapshot's data comes from. Empty paths are the defaults.
struct Config {
  std::string rules_dir;      // default: rules::default_rules_dir()
  std::string catalog_dir;    // default: catalog::default_catalog_dir()
  std::string data_dir;       // user state (list snapshots, adjudications); see resolve_data_dir
  std::string tf32;           // TF32 bit-length reading; empty = the metrics file's default
  std::string adjudications;  // file of accepted false positives; default DATA_DIR/adjudications.csv
  // The screener indexes every listed name (about 0.3 s on the bundled
  // lists). Eager: built with the snapshot (servers). OnFirstUse: built once,
  // thread-safely, when a party is first screened (a batch file whose party
  // column may be empty). Off: no screening (classification-only commands).
  enum class Screening { Eager, OnFirstUse, Off };
  Screening screening = Screening::Eager;
  // What-if scenario files loaded over the rules (rules::RuleSet::load);
  // answers from such a snapshot are hypothetical and say so in versions.
  std::vector<std::string> scenarios;
};

// The user data folder: `given` when not empty, else $EXPORTCTL_DATA_DIR,
// else $XDG_DATA_HOME/exportctl, else ~/.local/share/exportctl. The only
// place this is decided.
std::filesystem::path resolve_data_dir(const std::string& given);

// What answered: recorded with every response (and, next, every audit record).
struct Versions {
  std::string exportctl;    // program version
  std::string rules;        // "sha256:" + first 16 hex of the rules folder's files
  std::string rules_as_of;  // the dataset's compilation date
  std::string catalog;      // "sha256:" + first 16 hex of the catalog files
  std::string lists;        // list snapshot version; empty without screening, "on first use" until built
  std::vector<std::string> scenarios;  // ids of the scenario versions loaded, in file order
};

class Snapshot {
 public:
  // Loads and builds everything `config` asks for, eagerly; throws InputError
  // naming the file on bad data. The result is immutable and may be shared by
  // any number of threads without locks.
  static std::shared_ptr<const Snapshot> load(const Config& config);
  // The same data as `base` with `scenarios` loaded over its rules; screening
  // (lists, adjudications) is shared with `base`, not built again.
  static std::shared_ptr<const Snapshot> with_scenarios(std::shared_ptr<const Snapshot> base,
                                                        const std::vector<std::string>& scenarios);
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  const rules::RuleSet& rules() const;
  const catalog::Catalog& catalog() const;
  const classify::Classifier& classifier() const;
  const license::Engine& license() const;
  // Null when built without screening; built here on first use when so configured.
  const screen::Screener* screener() const;
  // The Entity List lookup the license engine uses for parties and owners
  // (null without screening): the same hits, so batches can key cached
  // answers on what a name matched rather than on the name.
  const license::PartyScreen* party_screen() const;
  bool screening() const;
  const std::vector<screen::Adjudication>& adjudications() const;
  const Versions& versions() const;
  const Config& config() const;
  const std::filesystem::path& data_dir() const;
  nlohmann::json versions_json() const;

  struct Parts;

 private:
  Snapshot();
  std::unique_ptr<Parts> parts_;
};

// The snapshot in use by a long-running front end. Readers take a reference
// (cheap, lock-free where the platform allows); reload() builds a new snapshot
// and swaps it in, so requests in flight finish on the one they started with.
class SnapshotHolder {
 public:
  explicit SnapshotHolder(std::shared_ptr<const Snapshot> initial);
  std::shared_ptr<const Snapshot> get() const;
  void replace(std::shared_ptr<const Snapshot> next);

 private:
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

// ---------------------------------------------------------------- requests

// The item of a request: a catalog chip id, or a spec the front end parsed
// (from a file, or the JSON "spec" object).
struct Item {
  std::string chip;
  std::shared_ptr<const classify::ItemSpec> spec;
};

struct ClassifyRequest {
  Item item;
  std::string date;       // YYYY-MM-DD; empty with timeline
  bool timeline = false;  // every rule boundary from the dataset's timeline start to today
};

struct CheckRequest {
  Item item;
  std::string to;  // destination, ISO 3166 code
  std::string hq;  // end user's (ultimate parent's) headquarters; empty = `to`
  std::string export_from = "US";
  std::string end_use = "none";
  std::string date;
  std::vector<std::string> parties;
  std::vector<license::Owner> owners;  // of the end user: name and percent held
  bool apply_ai_diffusion = false;
  bool timeline = false;
};

// "NAME=PERCENT" (the CLI flag and batch cell form) as an owner; InputError(field, ...) otherwise.
license::Owner parse_owner(const std::string& text, const std::string& field);

struct ScreenRequest {
  std::string name;
  std::string country;              // ISO alpha-2, optional evidence
  std::optional<double> threshold;  // default screen::kDefaultThreshold
  std::size_t limit = 20;
};

// ---------------------------------------------------------------- responses

// A figure an undetermined answer needs, and what it would be compared with.
struct Needed {
  std::string input;               // condition input, "tpp"
  std::string field;               // spec field that provides it, "dense_tops"
  std::vector<std::string> tests;  // "CLS-2023 3A090.a.1: tpp >= 4800"
};

// Every response: the JSON object front ends show or return (the CLI's
// --json output, the API's body), whether it is determined, and what answered.
struct Response {
  std::shared_ptr<const Snapshot> snapshot;
  bool determined = true;
  std::vector<Needed> missing;  // when undetermined
  // Ids of the rule versions that decided (for audit records).
  std::vector<std::string> rule_ids;
  nlohmann::json json;
};

Response classify(const std::shared_ptr<const Snapshot>& snapshot, const ClassifyRequest& request);
Response check(const std::shared_ptr<const Snapshot>& snapshot, const CheckRequest& request);
Response screen(const std::shared_ptr<const Snapshot>& snapshot, const ScreenRequest& request);

// A spec file (JSON, or YAML by extension) read with the snapshot's metric
// definitions; InputError naming the file and the field.
std::shared_ptr<const classify::ItemSpec> load_spec(const Snapshot& snapshot, const std::string& path);
// A spec given as a JSON object (the API's "spec"); errors name `where` and the field.
std::shared_ptr<const classify::ItemSpec> parse_spec(const Snapshot& snapshot, const nlohmann::json& spec,
                                                     const std::string& where = "spec");

// Catalog and rule data as JSON, for listings (CLI tables, GET /v1/chips, /v1/rules).
nlohmann::json chips_json(const Snapshot& snapshot);
// One chip with its figures and sources; InputError("chip", ...) with suggestions when unknown.
nlohmann::json chip_json(const Snapshot& snapshot, const std::string& id);
// Rule versions (in force on `date` when given); InputError("date", ...) on a bad date.
nlohmann::json rules_json(const Snapshot& snapshot, const std::string& date);
// Problems of a rules folder and of scenario files loaded over it, without
// loading a snapshot; when there are none, what the scenarios change.
nlohmann::json validate_rules(const std::string& dir, const std::vector<std::string>& scenarios = {});

// Parses a date request field: InputError(field, ...) when malformed or
// before the period the rule data covers.
Date parse_date(const Snapshot& snapshot, const std::string& text, const std::string& field = "date");

// ---------------------------------------------------------------- requests as JSON

// The JSON API's request objects, keys mirroring the CLI flags:
//   {"chip": "nvidia-h20", "to": "CN", "hq": "CN", "date": "2025-04-20",
//    "party": ["..."], "owners": [{"name": "...", "percent": 60} | "NAME=60"],
//    "end_use": "none", "export_from": "US", "timeline": false}
// with "spec": {...} instead of "chip". Unknown keys and wrong types are
// InputErrors naming the JSON path (`party[1]`, `spec.dense_tops.fp8`).
ClassifyRequest classify_request(const Snapshot& snapshot, const nlohmann::json& body);
CheckRequest check_request(const Snapshot& snapshot, const nlohmann::json& body);
ScreenRequest screen_request(const nlohmann::json& body);
// The same requests as JSON, for audit records (specs included whole).
nlohmann::json to_json(const ClassifyRequest& request);
nlohmann::json to_json(const CheckRequest& request);
nlohmann::json to_json(const ScreenRequest& request);

// ---------------------------------------------------------------- batches

// Called from the reading thread after each block: bytes read, rows done.
using ProgressFn = std::function<void(std::uint64_t bytes, std::uint64_t rows)>;

// Called from the workers for each decided row, before its output is
// written: a decision sink (the audit log) records it durably here.
using RecordFn =
    std::function<void(nlohmann::json request, nlohmann::json response, std::vector<std::string> rule_ids)>;

struct BatchOptions {
  unsigned threads = 0;  // 0 = all cores
  ProgressFn progress;
  RecordFn record;  // check batches: optional
};

struct BatchSummary {
  std::uint64_t rows = 0;
  std::uint64_t undetermined = 0;  // check: rows answered UNDETERMINED
  std::uint64_t alerts = 0;        // screen: rows with at least one match
  double seconds = 0;
};

// Decides every row of a transactions CSV (header: chip,to,date and
// optionally hq,party,owners,end_use,export_from; `party` holds names
// separated by ';', `owners` NAME=PERCENT pairs separated by ';') and writes the input columns plus the
// decision columns to `out`, in input order. Throws InputError naming `source`, the line and the column of
// the first bad row; the caller discards what was written (AtomicFile).
BatchSummary check_batch(const std::shared_ptr<const Snapshot>& snapshot, std::istream& in,
                         const std::string& source, std::ostream& out, const BatchOptions& options,
                         bool apply_ai_diffusion = false);

struct ScreenBatchOptions : BatchOptions {
  std::string name_column = "name";
  std::string country_column;  // default: a "country" column when present
  std::string format = "csv";  // csv | jsonl
  std::optional<double> threshold;
  std::size_t limit = 20;
};
// Screens the names of a CSV file; invalid names give an error field in their
// row, not a failed batch.
BatchSummary screen_batch(const std::shared_ptr<const Snapshot>& snapshot, std::istream& in,
                          const std::string& source, std::ostream& out, const ScreenBatchOptions& options);
// The same, against only what changed between two list snapshots (versions,
// list files or folders): re-screening customers after a list update.
BatchSummary screen_delta_batch(const std::shared_ptr<const Snapshot>& snapshot, const std::string& before,
                                const std::string& after, std::istream& in, const std::string& source,
                                std::ostream& out, const ScreenBatchOptions& options,
                                std::string* description);

// ---------------------------------------------------------------- list snapshots

// Import, fetch, diff and status of the list snapshots under a data folder,
// each answered as JSON (the CLI renders text from it).
nlohmann::json lists_import(const Config& config, const std::vector<std::string>& files);
nlohmann::json lists_fetch(const Config& config, const std::string& url, const std::string& sha256);
nlohmann::json lists_diff(const Config& config, const std::string& before, const std::string& after);
nlohmann::json lists_status(const Config& config);

}  // namespace exportctl::engine
