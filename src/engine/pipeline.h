#pragma once
// Internal to the engine: the ordered parallel pipeline over CSV records that
// every batch (check, screen, impact) runs on.

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "engine/engine.h"

namespace exportctl::engine {

class CsvPipeline {
 public:
  // Decides one record: its fields, the line it starts on, its 0-based
  // position in the file; appends its output to `out`. Throws InputError.
  using RowFn = std::function<void(const std::vector<std::string>& fields, int line, std::uint64_t index,
                                   std::string& out)>;
  // Makes the worker for one part of one block, so that per-part caches live
  // in the worker and need no locks.
  using WorkerFactory = std::function<RowFn()>;

  // Reads the header; throws InputError naming `source` when it cannot.
  CsvPipeline(std::istream& in, std::string source);
  const CsvReader& header() const { return reader_; }
  // Runs every record through a worker on `threads` threads (0 = all cores)
  // and writes the outputs to `out` in input order; returns the record count.
  // The first bad record's InputError propagates; output written so far is
  // the caller's to discard.
  std::uint64_t run(const WorkerFactory& make_worker, std::ostream& out, unsigned threads,
                    const ProgressFn& progress);

 private:
  std::istream& in_;
  std::string source_;
  CsvReader reader_;
};

}  // namespace exportctl::engine
