#pragma once
// The ordered parallel pipeline over CSV records that every batch (check,
// screen, impact) runs on, and the one reader of transaction rows (a CSV row
// to a license::Transaction) that check batches and impact analysis share.
// For batch components inside the library; front ends call engine.h.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/error.h"
#include "engine/engine.h"

namespace exportctl::engine {

class CsvPipeline {
 public:
  // Decides one record: its fields, the line it starts on, its 0-based
  // position in the file; appends its output to `out`. Throws InputError.
  using RowFn = std::function<void(const std::vector<std::string>& fields, int line, std::uint64_t index,
                                   std::string& out)>;
  // Makes the worker for one part (0 .. threads-1) of one block. Parts with
  // the same number never run at the same time, so state indexed by part
  // (caches, running totals) needs no locks.
  using WorkerFactory = std::function<RowFn(std::size_t part)>;
  // The number of parts run() uses for `threads` (0 = all cores).
  static unsigned parts(unsigned threads);

  // Reads the header; throws InputError naming `source` when it cannot.
  CsvPipeline(std::istream& in, std::string source);
  const CsvReader& header() const { return reader_; }
  // Runs every record through a worker on `threads` threads (0 = all cores)
  // and writes the outputs to `out` in input order; returns the record count.
  // The first bad record's InputError propagates; output written so far is
  // the caller's to discard.
  std::uint64_t run(const WorkerFactory& make_worker, std::ostream& out, unsigned threads,
                    const ProgressFn& progress);
  // Called instead of stopping when a record is bad (a field count that
  // differs from the header's, or the worker's InputError): the part, the
  // record's line and the error. The record gives no output and is not
  // counted; the batch goes on.
  using BadRecordFn = std::function<void(std::size_t part, int line, const InputError& error)>;
  void skip_bad_records(BadRecordFn on_bad) { on_bad_ = std::move(on_bad); }

 private:
  std::istream& in_;
  std::string source_;
  CsvReader reader_;
  BadRecordFn on_bad_;
};

// Column names of a transactions file. Check batches use these; impact's
// order books name some differently (item, destination, end_user).
struct TransactionColumnNames {
  std::string item = "chip";
  std::string to = "to";
  std::string date = "date";  // empty: the caller sets the date
  std::string hq = "hq";
  std::string party = "party";
  std::string owners = "owners";
  std::string end_use = "end_use";
  std::string export_from = "export_from";
};

// Reads transaction rows of one file against one snapshot: item (a catalog
// chip id, or `spec:PATH` with PATH relative to the file's folder), countries,
// parties (`;`-separated), owners (NAME=PERCENT, `;`-separated), end use.
// Errors are InputErrors naming source:line and the column.
class TransactionRows {
 public:
  TransactionRows(std::shared_ptr<const Snapshot> snapshot, const CsvReader& header, std::string source,
                  TransactionColumnNames names, bool apply_ai_diffusion);
  bool has_parties() const { return party_ || owners_; }

  // One per worker: its own classification cache, so no locks per row.
  class Reader {
   public:
    explicit Reader(const TransactionRows& rows) : rows_(rows) {}
    // Fills `t` from `row` (the date from the date column, when there is one).
    void read(const std::vector<std::string>& row, int line, license::Transaction& t);
    // The item cell as read (chip id or spec:PATH).
    const std::string& item_cell(const std::vector<std::string>& row) const { return row[rows_.item_]; }
    // What the transaction's parties and owners match on the restricted
    // lists (entries, listing dates, adjudications, owners' shares), without
    // the names: transactions equal in every other field and in this get
    // the same decision. Empty when no party or owner is named.
    const std::string& screening_key(const license::Transaction& t);
    // Decides `t` untraced, classifying each item once per rule period.
    license::Decision decide(const license::Transaction& t);
    // The same against another snapshot's engine (impact's "after" side).
    license::Decision decide_with(const Snapshot& snapshot, const license::Transaction& t);

   private:
    const TransactionRows& rows_;
    std::map<std::tuple<const Snapshot*, const classify::ItemSpec*, std::size_t>, classify::Classification>
        classifications_;
    std::unordered_map<std::string, std::shared_ptr<const classify::ItemSpec>> specs_;
    // Cells already read successfully: country cells to their codes, party
    // and owner names that passed validation (rows repeat them; bounded).
    std::unordered_map<std::string, std::string> countries_;
    std::unordered_set<std::string> valid_names_;
    std::unordered_map<std::string, std::string> screening_keys_;  // names and countries -> screening_key
  };

 private:
  std::shared_ptr<const classify::ItemSpec> spec_file(const std::string& path, int line) const;

  std::shared_ptr<const Snapshot> snapshot_;
  std::string source_;
  std::filesystem::path folder_;
  bool apply_ai_diffusion_;
  std::size_t item_;
  std::size_t to_;
  std::optional<std::size_t> date_, hq_, party_, owners_, end_use_, export_from_;
  TransactionColumnNames names_;
  std::unordered_map<std::string, const catalog::Chip*> chips_;
  std::optional<Date> coverage_from_;
  mutable std::mutex specs_mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const classify::ItemSpec>> specs_;
};

}  // namespace exportctl::engine
