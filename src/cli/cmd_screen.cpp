// exportctl screen: one name, a batch file, or a delta re-screen. Builds the
// whole answer before writing it; batch output goes to a temporary file that
// is renamed into place when complete.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "core/csv.h"
#include "core/error.h"
#include "screen/screen.h"

namespace exportctl::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path data_dir(const App& app) {
  return app.options().data_dir.empty() ? screen::SnapshotStore::default_dir()
                                        : fs::path(app.options().data_dir);
}

std::vector<screen::Adjudication> adjudications_for(const App& app, const ScreenCommandOptions& o) {
  if (!o.adjudications.empty()) return screen::load_adjudications(o.adjudications);
  const fs::path def = data_dir(app) / "adjudications.csv";
  if (fs::exists(def)) return screen::load_adjudications(def);
  return {};
}

struct Row {
  std::string name;
  std::string country;
};

std::vector<Row> read_rows(const ScreenCommandOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) throw InputError(o.file, "cannot read the file");
  CsvReader reader(in, o.file);
  const auto name_col = reader.column(o.name_column);
  if (!name_col) {
    std::string cols;
    for (const auto& h : reader.header()) cols += (cols.empty() ? "" : ", ") + h;
    throw InputError(o.file, "no column '" + o.name_column + "' (columns: " + cols + "); use --name-column");
  }
  std::optional<std::size_t> country_col;
  if (!o.country_column.empty())
    country_col = reader.require_column(o.country_column);
  else
    country_col = reader.column("country");
  std::vector<Row> rows;
  std::vector<std::string> f;
  while (reader.next(f)) rows.push_back({f[*name_col], country_col ? f[*country_col] : std::string()});
  return rows;
}

// Screens one row; invalid names give a defined result (an error field), not a failed batch.
struct RowResult {
  std::vector<screen::Match> matches;
  std::vector<screen::Match> suppressed;
  std::string error;
};

RowResult screen_row(const screen::Screener& screener, const Row& row, const screen::ScreenOptions& base,
                     const std::vector<screen::Adjudication>& adjudications) {
  RowResult r;
  screen::ScreenOptions options = base;
  if (!row.country.empty()) options.country = row.country;
  try {
    for (auto& m : screener.screen(row.name, options)) {
      if (screen::suppressed(adjudications, row.name, *m.entry))
        r.suppressed.push_back(std::move(m));
      else
        r.matches.push_back(std::move(m));
    }
  } catch (const InputError& e) {
    r.error = e.message();
  }
  return r;
}

json row_json(const screen::Screener& screener, const Row& row, const screen::ScreenOptions& options,
              const RowResult& r) {
  screen::ScreenOptions shown = options;
  if (!row.country.empty()) shown.country = row.country;
  json j = screen::to_json(row.name, shown, screener.snapshot(), r.matches);
  if (!r.suppressed.empty()) {
    json s = json::array();
    for (const auto& m : r.suppressed) s.push_back({{"entry", m.entry->key()}, {"score", m.score}});
    j["suppressed_by_adjudication"] = s;
  }
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

std::string csv_rows(std::size_t index, const Row& row, const RowResult& r) {
  std::string out;
  const auto line = [&](const screen::Match* m) {
    std::vector<std::string> cells{std::to_string(index + 1), row.name};
    if (m) {
      char score[16];
      std::snprintf(score, sizeof score, "%.4f", m->score);
      cells.insert(cells.end(),
                   {score, m->matched_name, m->entry->source_code, m->entry->key(), m->entry->name,
                    m->entry->federal_register_notice, m->entry->license_requirement,
                    m->entry->license_policy, m->entry->fingerprint(), ""});
    } else {
      cells.insert(cells.end(), {"", "", "", "", "", "", "", "", "", r.error});
    }
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_escape(cells[i]);
    out += "\n";
  };
  if (r.matches.empty()) line(nullptr);
  for (const auto& m : r.matches) line(&m);
  return out;
}

// Renders each row on all cores, in input order; a progress bar on stderr when it is a terminal.
std::string run_batch(const screen::Screener& screener, const std::vector<Row>& rows,
                      const screen::ScreenOptions& options,
                      const std::vector<screen::Adjudication>& adjudications, const ScreenCommandOptions& o,
                      std::size_t* alerts) {
  const bool jsonl = o.format == "jsonl";
  std::vector<std::string> rendered(rows.size());
  std::vector<std::size_t> hits(rows.size(), 0);
  std::atomic<std::size_t> next{0}, done{0};
  unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, rows.size())));
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto worker = [&] {
    try {
      for (std::size_t i = next.fetch_add(64); i < rows.size(); i = next.fetch_add(64)) {
        const std::size_t end = std::min(rows.size(), i + 64);
        for (std::size_t k = i; k < end; ++k) {
          const RowResult r = screen_row(screener, rows[k], options, adjudications);
          hits[k] = r.matches.size();
          rendered[k] =
              jsonl ? row_json(screener, rows[k], options, r).dump() + "\n" : csv_rows(k, rows[k], r);
        }
        done.fetch_add(end - i);
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      failure = std::current_exception();
    }
  };
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  const bool tty = isatty(fileno(stderr));
  while (tty && done.load() < rows.size() && !failure) {
    const std::size_t d = done.load();
    const int width = 40;
    const int filled = rows.empty() ? width : static_cast<int>(width * d / rows.size());
    std::fprintf(stderr, "\r[%s%s] %zu/%zu", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), d, rows.size());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::size_t alerted = 0;
  for (auto h : hits) alerted += h > 0;
  if (alerts) *alerts = alerted;
  std::fprintf(stderr, "%sscreened %zu names on %u threads in %.2f s (%.0f names/s); %zu with matches\n",
               tty ? "\r" : "", rows.size(), threads, secs,
               secs > 0 ? static_cast<double>(rows.size()) / secs : 0.0, alerted);
  std::string out = jsonl ? std::string()
                          : "row,query,score,matched_name,source,entry,entry_name,federal_register_notice,"
                            "license_requirement,"
                            "license_policy,entry_fingerprint,error\n";
  for (auto& r : rendered) out += r;
  return out;
}

void write_output(const std::string& path, const std::string& content, std::ostream& out) {
  if (path.empty() || path == "-") {
    out << content;
    return;
  }
  const fs::path target(path);
  const fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".tmp");
  {
    std::ofstream f(tmp, std::ios::binary);
    f << content;
    if (!f) throw InputError(path, "cannot write the output file");
  }
  fs::rename(tmp, target);
}

}  // namespace

int screen(App& app, const ScreenCommandOptions& o, std::ostream& out) {
  screen::ScreenOptions options;
  options.threshold = o.threshold < 0 ? screen::kDefaultThreshold : o.threshold;
  if (!(options.threshold >= 0.0 && options.threshold <= 1.0))
    throw InputError("--threshold", "must be between 0 and 1");
  options.country = o.country;
  options.limit = o.limit;
  if (!o.country.empty() &&
      (o.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(o.country[0])) ||
       !std::isalpha(static_cast<unsigned char>(o.country[1]))))
    throw InputError("--country", "'" + o.country + "' is not an ISO 3166 alpha-2 code");
  if (o.format != "csv" && o.format != "jsonl") throw InputError("--format", "must be csv or jsonl");
  const auto adjudications = adjudications_for(app, o);
  screen::SnapshotStore store(data_dir(app));

  if (!o.delta.empty()) {
    if (o.delta.size() != 2) throw InputError("--delta", "needs two snapshots: OLD NEW");
    if (o.file.empty()) throw InputError("--delta", "needs --file with the customers to re-screen");
    const auto before = store.load(o.delta[0]);
    auto after = std::make_shared<screen::ListSnapshot>(store.load(o.delta[1]));
    // Only what was added or changed can raise a new alert.
    auto changed = std::make_shared<screen::ListSnapshot>();
    changed->version = after->version + "-delta-from-" + before.version;
    changed->created = after->created;
    std::size_t added = 0, modified = 0;
    for (const auto& c : screen::diff_snapshots(before, *after)) {
      if (!c.after) continue;
      (c.before ? modified : added)++;
      changed->entries.push_back(*c.after);
      changed->entries.back().linked.clear();
    }
    std::fprintf(stderr, "delta %s -> %s: %zu added, %zu changed entries re-screened\n",
                 before.version.c_str(), after->version.c_str(), added, modified);
    const screen::Screener screener(changed, screen::bundled_normalizer());
    const auto rows = read_rows(o);
    write_output(o.out, run_batch(screener, rows, options, adjudications, o, nullptr), out);
    return 0;
  }

  // Check the input before loading and indexing the lists, which is the slow part.
  if (!o.file.empty()) {
    if (o.name_given) throw InputError("screen", "give either NAME or --file, not both");
    const auto rows = read_rows(o);
    const screen::Screener screener(store.current_or_bundled(), screen::bundled_normalizer());
    write_output(o.out, run_batch(screener, rows, options, adjudications, o, nullptr), out);
    return 0;
  }
  if (o.name.empty() && !o.name_given)
    throw InputError("screen", "give a NAME, --file FILE or --delta OLD NEW --file FILE");
  screen::validate_query(o.name, "NAME");
  const screen::Screener screener(store.current_or_bundled(), screen::bundled_normalizer());
  const Row row{o.name, o.country};
  const RowResult r = screen_row(screener, row, options, adjudications);
  std::string text;
  if (o.json) {
    text = row_json(screener, row, options, r).dump(2) + "\n";
  } else {
    text = screen::render_text(o.name, options, screener.snapshot(), r.matches);
    for (const auto& m : r.suppressed)
      text += "\n  (" + m.entry->key() + " suppressed by an adjudication for this exact name)\n";
  }
  out << text;
  return 0;
}

}  // namespace exportctl::cli
