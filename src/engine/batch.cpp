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

std::uint64_t CsvPipeline::run(const WorkerFactory& make_worker, std::ostream& out, unsigned threads,
                               const ProgressFn& progress) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
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
  auto decide = [&](std::string_view text, int first_line, std::uint64_t first_index) {
    std::istringstream part{std::string(text)};
    CsvReader csv(part, source_, header, first_line);
    std::vector<std::string> row;
    std::string output;
    const RowFn worker = make_worker();
    std::uint64_t index = first_index;
    while (csv.next(row)) worker(row, csv.line(), index++, output);
    return output;
  };

  std::uint64_t done = 0, consumed = 0;
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
          outputs[k] = decide(text, part_line, first_index);
        } catch (...) {
          errors[k] = std::current_exception();
        }
      });
      part_line += static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    }
    Block next = read_block();
    for (auto& w : workers) w.join();
    for (const auto& e : errors)
      if (e) std::rethrow_exception(e);  // parts are in file order: the first is the earliest
    for (const auto& part : outputs) out << part;
    done += static_cast<std::uint64_t>(starts.size());
    consumed += block.size();
    line = part_line;
    if (progress) progress(consumed, done);
    current = std::move(next);
  }
  if (!carry.empty()) throw InputError(location(source_, line), "unterminated quoted field");
  return done;
}

// ---------------------------------------------------------------- check

namespace {

const char* kCheckOutputColumns =
    "license_required,policy,exceptions,flags,eccn,paragraph,requirements,decision,missing,rules";

struct CheckColumns {
  std::size_t chip, to, date;
  std::optional<std::size_t> hq, party, owners, end_use, export_from;
};

void append_list(std::string& out, const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& i : items) {
    if (!joined.empty()) joined += ';';
    joined += i;
  }
  csv_append(out, joined);
  out += ',';
}

// The non-blank items of a ';'-separated cell.
std::vector<std::string> split_cell(const std::string& cell) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < cell.size()) {
    std::size_t end = cell.find(';', from);
    if (end == std::string::npos) end = cell.size();
    std::string item = cell.substr(from, end - from);
    if (item.find_first_not_of(' ') != std::string::npos) out.push_back(std::move(item));
    from = end + 1;
  }
  return out;
}

// The CSV column a request field comes from.
std::string column_of(const std::string& field) {
  if (field.rfind("parties[", 0) == 0) return "party";
  if (field.rfind("owners", 0) == 0) return "owners";
  return field;
}

}  // namespace

BatchSummary check_batch(const std::shared_ptr<const Snapshot>& snapshot, std::istream& in,
                         const std::string& source, std::ostream& out, const BatchOptions& options,
                         bool apply_ai_diffusion) {
  const auto start = std::chrono::steady_clock::now();
  CsvPipeline pipeline(in, source);
  const CsvReader& csv = pipeline.header();
  CheckColumns cols{csv.require_column("chip"), csv.require_column("to"), csv.require_column("date"),
                    csv.column("hq"),           csv.column("party"),      csv.column("owners"),
                    csv.column("end_use"),      csv.column("export_from")};
  if ((cols.party || cols.owners) && !snapshot->screening())
    throw std::logic_error("snapshot built without screening was given a party column");
  std::unordered_map<std::string, const catalog::Chip*> chips;
  for (const auto& chip : snapshot->catalog().chips()) chips.emplace(chip.id, &chip);
  const rules::RuleSet& rules = snapshot->rules();
  const classify::Classifier& classifier = snapshot->classifier();
  const license::Engine& engine = snapshot->license();
  const std::optional<Date> coverage_from = rules.coverage_from();
  std::atomic<std::uint64_t> undetermined{0};

  std::string head;
  for (const auto& h : csv.header()) head += csv_escape(h) + ",";
  out << head << kCheckOutputColumns << "\n";

  const auto make_worker = [&]() -> CsvPipeline::RowFn {
    // Classifications already made in this block, by item and rule period.
    auto cache = std::make_shared<
        std::map<std::pair<const classify::ItemSpec*, std::size_t>, classify::Classification>>();
    return [&, cache](const std::vector<std::string>& row, int line, std::uint64_t, std::string& output) {
      auto where = [&] { return location(source, line); };  // built only on error
      const auto chip_it = chips.find(row[cols.chip]);
      if (chip_it == chips.end())
        throw InputError(where(), "column 'chip': unknown chip id '" + row[cols.chip] + "'");
      license::Transaction t;
      t.item = &chip_it->second->spec;
      const auto date = Date::parse(row[cols.date]);
      if (!date) throw InputError(where(), "column 'date': '" + row[cols.date] + "' is not YYYY-MM-DD");
      if (coverage_from && *date < *coverage_from)
        throw InputError(where(), "column 'date': " + date->str() + " is before " + coverage_from->str());
      t.date = *date;
      const auto country = [&](const std::string& cell, const char* column) {
        try {
          return country_code(*snapshot, cell, column);
        } catch (const InputError& e) {
          throw InputError(where(), "column '" + std::string(column) + "': " + e.message());
        }
      };
      t.to = country(row[cols.to], "to");
      if (cols.hq && !row[*cols.hq].empty()) t.hq = country(row[*cols.hq], "hq");
      if (cols.export_from && !row[*cols.export_from].empty())
        t.export_from = country(row[*cols.export_from], "export_from");
      if (cols.end_use && !row[*cols.end_use].empty()) t.end_use = row[*cols.end_use];
      if (cols.party)
        for (auto& name : split_cell(row[*cols.party])) t.parties.push_back(std::move(name));
      if (cols.owners)
        for (const auto& item : split_cell(row[*cols.owners])) {
          try {
            t.owners.push_back(parse_owner(item, "owners"));
          } catch (const InputError& e) {
            throw InputError(where(), "column 'owners': " + e.message());
          }
        }
      t.apply_ai_diffusion = apply_ai_diffusion;
      try {
        license::validate(t, rules);
        for (std::size_t i = 0; i < t.parties.size(); ++i)
          screen::validate_query(t.parties[i], "parties[" + std::to_string(i) + "]");
        for (std::size_t i = 0; i < t.owners.size(); ++i)
          screen::validate_query(t.owners[i].name, "owners[" + std::to_string(i) + "]");
      } catch (const InputError& e) {
        throw InputError(where(), "column '" + column_of(e.where()) + "': " + e.message());
      }
      const auto key = std::make_pair(t.item, classifier.period_index(t.date));
      auto cached = cache->find(key);
      if (cached == cache->end())
        cached = cache->emplace(key, classifier.classify(*t.item, t.date, false)).first;
      const license::Decision d = engine.check(t, false, &cached->second);
      if (options.record) {
        json request{{"chip", chip_it->first}, {"to", t.to},
                     {"date", t.date.str()},   {"export_from", t.export_from},
                     {"end_use", t.end_use},   {"source", location(source, line)}};
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
    "license_policy,entry_fingerprint,error\n";

std::string screen_csv_rows(std::uint64_t index, const std::string& name, const json& result,
                            const std::string& error) {
  std::string out;
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
           e["fingerprint"].get<std::string>(), ""});
    } else {
      cells.insert(cells.end(), {"", "", "", "", "", "", "", "", "", error});
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
  const auto make_worker = [&]() -> CsvPipeline::RowFn {
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
