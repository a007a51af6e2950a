// exportctl screen: one name, a batch file, or a delta re-screen. Builds the
// whole answer before writing it; batch output goes to a file that replaces
// the target only when complete.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "core/json.h"
#include "cli/progress.h"
#include "cli/render.h"
#include "core/error.h"
#include "core/files.h"

namespace exportctl::cli {

namespace {

int run_batch(App& app, const ScreenCommandOptions& o, std::ostream& out) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) throw InputError(o.file, "cannot read the file");
  engine::ScreenBatchOptions options;
  options.threads = o.threads;
  options.name_column = o.name_column;
  options.country_column = o.country_column;
  options.format = o.format;
  if (o.threshold >= 0) options.threshold = o.threshold;
  options.limit = o.limit;
  Progress progress("screen", std::filesystem::file_size(o.file), show_progress(o.progress));
  options.progress = [&](std::uint64_t bytes, std::uint64_t rows) { progress.update(bytes, rows); };
  const auto snapshot = app.snapshot(true);
  const bool to_stdout = o.out.empty() || o.out == "-";
  std::ostringstream buffer;
  std::unique_ptr<AtomicFile> file;
  if (!to_stdout) file = std::make_unique<AtomicFile>(o.out);
  std::ostream& sink = to_stdout ? static_cast<std::ostream&>(buffer) : file->stream();
  std::string description;
  const engine::BatchSummary summary = o.delta.empty()
                                           ? engine::screen_batch(snapshot, in, o.file, sink, options)
                                           : engine::screen_delta_batch(snapshot, o.delta[0], o.delta[1], in,
                                                                        o.file, sink, options, &description);
  if (file) file->commit();
  progress.finish(summary.rows);
  if (!description.empty()) std::fprintf(stderr, "%s\n", description.c_str());
  std::fprintf(stderr, "screened %llu names in %.2f s (%.0f names/s); %llu with matches\n",
               static_cast<unsigned long long>(summary.rows), summary.seconds,
               summary.seconds > 0 ? static_cast<double>(summary.rows) / summary.seconds : 0.0,
               static_cast<unsigned long long>(summary.alerts));
  out << buffer.str();
  return kExitOk;
}

}  // namespace

int screen(App& app, const ScreenCommandOptions& o, std::ostream& out) {
  if (o.format != "csv" && o.format != "jsonl") throw InputError("--format", "must be csv or jsonl");
  if (!o.delta.empty()) {
    if (o.delta.size() != 2) throw InputError("--delta", "needs two snapshots: OLD NEW");
    if (o.file.empty()) throw InputError("--delta", "needs --file with the customers to re-screen");
  }
  if (!o.file.empty()) {
    if (o.name_given) throw InputError("screen", "give either NAME or --file, not both");
    return run_batch(app, o, out);
  }
  if (o.name.empty() && !o.name_given)
    throw InputError("screen", "give a NAME, --file FILE or --delta OLD NEW --file FILE");
  engine::ScreenRequest request;
  request.name = o.name;
  request.country = o.country;
  if (o.threshold >= 0) request.threshold = o.threshold;
  request.limit = o.limit;
  const engine::Response r = engine::screen(app.snapshot(true), request);
  out << (o.json ? dump_json(r.json, 2) + "\n" : screen_text(r.json));
  return kExitOk;
}

}  // namespace exportctl::cli
