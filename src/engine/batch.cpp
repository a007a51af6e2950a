// Batches: one ordered parallel pipeline over CSV records, serving check and
// screen batches (and impact analysis). While the workers decide block k, the
// calling thread reads block k+1; blocks end on record boundaries and are
// split among the workers at record starts; outputs are written in input
// order. Errors name the file, line and column of the first bad row.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "core/csv.h"
#include "core/json.h"
#include "core/error.h"
#include "engine/engine.h"
#include "engine/internal.h"
#include "engine/pipeline.h"
#include "screen/screen.h"

namespace exportctl::engine {

using nlohmann::json;

CsvPipeline::CsvPipeline(std::istream& in, std::string source)
    : in_(in), source_(std::move(source)), reader_(in_, source_) {}

unsigned CsvPipeline::parts(unsigned threads) {
  return threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads;
}

std::uint64_t CsvPipeline::run(const WorkerFactory& make_worker, std::ostream& out, unsigned threads,
                               const ProgressFn& progress) {
  threads = parts(threads);
  const std::vector<std::string> header = reader_.header();
  constexpr std::size_t kBlock = 1 << 20;
  int line = reader_.line() + 1;  // line of the first record after the header
  std::string carry;
  struct Block {
    std::string text;
    std::vector<std::size_t> starts;  // offset of each record
  };
  auto read_block = [&]() {
    Block result;
    std::string& block = result.text;
    block = std::move(carry);
    carry.clear();
    const std::size_t have = block.size();
    block.resize(have + kBlock);
    in_.read(block.data() + have, static_cast<std::streamsize>(kBlock));
    block.resize(have + static_cast<std::size_t>(in_.gcount()));
    if (in_.eof() && !block.empty() && block.back() != '\n') block.push_back('\n');
    const std::size_t end = csv_record_boundary(block, &result.starts);
    carry = block.substr(end);
    block.resize(end);
    return result;
  };
  // Decides the records of one part (whole records only) and returns their output.
  auto decide = [&](std::string_view text, int first_line, std::uint64_t first_index, std::size_t part) {
    CsvTextReader csv(text, source_, header.size(), first_line);
    std::vector<std::string> row;
    std::string output;
    const RowFn worker = make_worker(part);
    std::uint64_t index = first_index;
    if (!on_bad_) {
      while (csv.next(row)) worker(row, csv.line(), index++, output);
      return output;
    }
    for (;; ++index) {
      try {
        if (!csv.next(row)) break;
      } catch (const InputError& e) {  // the record itself (field count); the reader is past it
        on_bad_(part, csv.line(), e);
        continue;
      }
      const std::size_t mark = output.size();
      try {
        worker(row, csv.line(), index, output);
      } catch (const InputError& e) {
        output.resize(mark);
        on_bad_(part, csv.line(), e);
      }
    }
    return output;
  };

  std::uint64_t done = 0, consumed = 0;
  std::vector<std::string> pending;  // the decided block not yet written
  Block current = read_block();
  while (!current.text.empty()) {
    const std::string& block = current.text;
    const std::vector<std::size_t>& starts = current.starts;
    const std::size_t parts = std::min<std::size_t>(threads, starts.size());
    std::vector<std::size_t> cuts{0};
    for (std::size_t k = 1; k < parts; ++k) {
      const auto it = std::lower_bound(starts.begin(), starts.end(), block.size() * k / parts);
      if (it != starts.end() && *it > cuts.back()) cuts.push_back(*it);
    }
    cuts.push_back(block.size());
    std::vector<std::string> outputs(cuts.size() - 1);
    std::vector<std::exception_ptr> errors(cuts.size() - 1);
    std::vector<std::thread> workers;
    int part_line = line;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const std::string_view text(block.data() + cuts[k], cuts[k + 1] - cuts[k]);
      const auto first_index =
          done + static_cast<std::uint64_t>(std::lower_bound(starts.begin(), starts.end(), cuts[k]) -
                                            starts.begin());
      workers.emplace_back([&, k, text, part_line, first_index] {
        try {
          outputs[k] = decide(text, part_line, first_index, k);
        } catch (...) {
          errors[k] = std::current_exception();
        }
      });
      part_line += static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    }
    // While the workers decide this block: write the previous block's
    // output, then read the next block.
    for (const auto& part : pending) out << part;
    pending.clear();
    Block next = read_block();
    for (auto& w : workers) w.join();
    for (const auto& e : errors)
      if (e) std::rethrow_exception(e);  // parts are in file order: the first is the earliest
    pending = std::move(outputs);
    done += static_cast<std::uint64_t>(starts.size());
    consumed += block.size();
    line = part_line;
    if (progress) progress(consumed, done);
    current = std::move(next);
  }
  for (const auto& part : pending) out << part;
  if (!carry.empty()) {
    const InputError error(location(source_, line), "unterminated quoted field");
    if (!on_bad_) throw error;
    on_bad_(0, line, error);
  }
  return done;
}

// ---------------------------------------------------------------- check

namespace {

const char* kCheckOutputColumns =
    "license_required,policy,exceptions,flags,eccn,paragraph,requirements,decision,missing,rules";

void append_list(std::string& out, const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& i : items) {
    if (!joined.empty()) joined += ';';
    joined += i;
  }
  csv_append(out, joined);
  out += ',';
}

}  // namespace

BatchSummary check_batch(const std::shared_ptr<const Snapshot>& snapshot, std::istream& in,
                         const std::string& source, std::ostream& out, const BatchOptions& options,
                         bool apply_ai_diffusion) {
  const auto start = std::chrono::steady_clock::now();
  CsvPipeline pipeline(in, source);
  const CsvReader& csv = pipeline.header();
  const TransactionRows rows(snapshot, csv, source, TransactionColumnNames{}, apply_ai_diffusion);
  std::atomic<std::uint64_t> undetermined{0};

  std::string head;
  for (const auto& h : csv.header()) head += csv_escape(h) + ",";
  out << head << kCheckOutputColumns << "\n";

  const auto make_worker = [&](std::size_t) -> CsvPipeline::RowFn {
    auto reader = std::make_shared<TransactionRows::Reader>(rows);
    return [&, reader](const std::vector<std::string>& row, int line, std::uint64_t, std::string& output) {
      license::Transaction t;
      reader->read(row, line, t);
      const license::Decision d = reader->decide(t);
      if (options.record) {
        json request{{"chip", reader->item_cell(row)}, {"to", t.to},
                     {"date", t.date.str()},           {"export_from", t.export_from},
                     {"end_use", t.end_use},           {"source", location(source, line)}};
        if (!t.hq.empty()) request["hq"] = t.hq;
        if (!t.parties.empty()) request["party"] = t.parties;
        if (!t.owners.empty()) {
          json owners = json::array();
          for (const auto& o : t.owners) owners.push_back({{"name", o.name}, {"percent", o.percent}});
          request["owners"] = owners;
        }
        std::vector<std::string> ids;
        for (const auto* v : d.deciding_rules) ids.push_back(v->id);
        json response{{"determined", d.determined},
                      {"complete", d.complete},
                      {"license_required", d.determined ? json(d.license_required) : json(nullptr)},
                      {"policy", std::string(license::to_string(d.policy))},
                      {"requirements", d.requirements},
                      {"exceptions", d.exceptions},
                      {"flags", d.flags},
                      {"eccn", d.classification.determined ? json(d.classification.eccn) : json(nullptr)},
                      {"decision", license::summary(d)},
                      {"missing_inputs", d.missing_inputs},
                      {"deciding_rules", ids}};
        options.record(std::move(request), std::move(response), ids);
      }
      for (const auto& cell : row) {
        csv_append(output, cell);
        output += ',';
      }
      // The deciding rule ids, ';'-separated (rule ids never need quoting).
      const auto append_ids = [&] {
        for (std::size_t k = 0; k < d.deciding_rules.size(); ++k) {
          if (k) output += ';';
          output += d.deciding_rules[k]->id;
        }
        output += '\n';
      };
      const auto& c = d.classification;
      if (!d.determined) {
        undetermined.fetch_add(1, std::memory_order_relaxed);
        output += ",,,,,,,UNDETERMINED,";
        append_list(output, d.missing_inputs);
        append_ids();
        return;
      }
      output += d.license_required ? "true," : "false,";
      if (d.policy != license::Policy::None) output += license::to_string(d.policy);
      output += ',';
      append_list(output, d.exceptions);
      append_list(output, d.flags);
      if (c.determined) output += c.eccn;
      output += ',';
      output += c.paragraph;
      output += ',';
      append_list(output, d.requirements);
      csv_append(output, license::summary(d));
      output += ',';
      append_list(output, d.missing_inputs);
      append_ids();
    };
  };
  BatchSummary summary;
  summary.rows = pipeline.run(make_worker, out, options.threads, options.progress);
  summary.undetermined = undetermined.load();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

// ---------------------------------------------------------------- screen

namespace {

const char* kScreenCsvHeader =
    "row,query,score,matched_name,source,entry,entry_name,federal_register_notice,license_requirement,"
    "license_policy,entry_fingerprint,error,name_source,watch\n";

std::string screen_csv_rows(std::uint64_t index, const std::string& name, const json& result,
                            const std::string& error) {
  std::string out;
  // Watch entries are information about the name, on each of its lines.
  std::string watch;
  if (result.contains("watch"))
    for (const auto& w : result["watch"])
      watch += (watch.empty() ? "" : "; ") + w["id"].get<std::string>() + " (" +
               w["status"].get<std::string>() + ")";
  const auto line = [&](const json* m) {
    std::vector<std::string> cells{std::to_string(index + 1), name};
    if (m) {
      const json& e = (*m)["entry"];
      char score[16];
      std::snprintf(score, sizeof score, "%.4f", (*m)["score"].get<double>());
      const std::string code = e["source_code"].get<std::string>();
      cells.insert(
          cells.end(),
          {score, (*m)["matched_name"].get<std::string>(), code, code + ":" + e["id"].get<std::string>(),
           e["name"].get<std::string>(), e["federal_register_notice"].get<std::string>(),
           e["license_requirement"].get<std::string>(), e["license_policy"].get<std::string>(),
           e["fingerprint"].get<std::string>(), "",
           m->contains("name_source") ? (*m)["name_source"]["source_url"].get<std::string>() : "", watch});
    } else {
      cells.insert(cells.end(), {"", "", "", "", "", "", "", "", "", error, "", watch});
    }
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_escape(cells[i]);
    out += "\n";
  };
  const json* matches = result.contains("matches") ? &result["matches"] : nullptr;
  if (!matches || matches->empty()) line(nullptr);
  if (matches)
    for (const auto& m : *matches) line(&m);
  return out;
}

BatchSummary run_screen_batch(const screen::Screener& screener,
                              const std::vector<screen::Adjudication>& adjudications,
                              const rules::CountryGroups& snapshot_groups, std::istream& in,
                              const std::string& source, std::ostream& out,
                              const ScreenBatchOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.format != "csv" && options.format != "jsonl")
    throw InputError("format", "must be csv or jsonl");
  const screen::ScreenOptions base = screen_options(options.threshold, options.limit, {}, "");
  CsvPipeline pipeline(in, source);
  const CsvReader& csv = pipeline.header();
  const auto name_col = csv.column(options.name_column);
  if (!name_col) {
    std::string cols;
    for (const auto& h : csv.header()) cols += (cols.empty() ? "" : ", ") + h;
    throw InputError("name_column", "'" + options.name_column + "' is not a column of " + source +
                                        " (columns: " + cols + ")");
  }
  std::optional<std::size_t> country_col =
      csv.column(options.country_column.empty() ? "country" : options.country_column);
  if (!options.country_column.empty() && !country_col)
    throw InputError("country_column", "'" + options.country_column + "' is not a column of " + source);
  const bool jsonl = options.format == "jsonl";
  std::atomic<std::uint64_t> alerts{0};
  if (!jsonl) out << kScreenCsvHeader;
  const auto make_worker = [&](std::size_t) -> CsvPipeline::RowFn {
    return [&](const std::vector<std::string>& row, int, std::uint64_t index, std::string& output) {
      const std::string& name = row[*name_col];
      screen::ScreenOptions o = base;
      if (country_col && !row[*country_col].empty()) {
        // Country is evidence only: a name is read as its code, anything else is passed on as written.
        const auto code = snapshot_groups.parse_country(row[*country_col]);
        o.country = code ? *code : row[*country_col];
      }
      json result;
      std::string error;
      std::size_t matches = 0;
      try {
        screen::validate_query(name, "name");
        result = screen_result(screener, adjudications, name, o, &matches);
      } catch (const InputError& e) {
        // A bad name is a defined result for its row, not a failed batch.
        error = e.message();
        result = {{"query", name}, {"matches", json::array()}, {"error", error}};
      }
      if (matches > 0) alerts.fetch_add(1, std::memory_order_relaxed);
      if (jsonl) {
        output += dump_json(result);
        output += '\n';
      } else {
        output += screen_csv_rows(index, name, result, error);
      }
    };
  };
  BatchSummary summary;
  summary.rows = pipeline.run(make_worker, out, options.threads, options.progress);
  summary.alerts = alerts.load();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace

BatchSummary screen_batch(const std::shared_ptr<const Snapshot>& snapshot, std::istream& in,
                          const std::string& source, std::ostream& out, const ScreenBatchOptions& options) {
  if (!snapshot->screening()) throw std::logic_error("snapshot built without screening");
  return run_screen_batch(*snapshot->screener(), snapshot->adjudications(),
                          snapshot->rules().country_groups(), in, source, out, options);
}

BatchSummary screen_delta_batch(const std::shared_ptr<const Snapshot>& snapshot, const std::string& before,
                                const std::string& after, std::istream& in, const std::string& source,
                                std::ostream& out, const ScreenBatchOptions& options,
                                std::string* description) {
  const screen::SnapshotStore store(snapshot->data_dir());
  const screen::ListSnapshot old_lists = store.load(before);
  const screen::ListSnapshot new_lists = store.load(after);
  std::size_t added = 0, changed = 0;
  auto delta = std::make_shared<const screen::ListSnapshot>(
      screen::changed_entries(old_lists, new_lists, &added, &changed));
  if (description)
    *description = "delta " + old_lists.version + " -> " + new_lists.version + ": " + std::to_string(added) +
                   " added, " + std::to_string(changed) + " changed entries re-screened";
  const screen::Screener screener(delta, screen::bundled_normalizer());
  return run_screen_batch(screener, snapshot->adjudications(), snapshot->rules().country_groups(), in, source,
                          out, options);
}

}  // namespace exportctl::engine
