// exportctl check: one transaction (text or JSON), its timeline, or a batch
// CSV file processed in parallel chunks and written in input order.

#include <unistd.h>

#include <filesystem>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/table.h"
#include "core/csv.h"
#include "core/error.h"

namespace exportctl::cli {

using nlohmann::json;

namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

license::Transaction transaction_from(App& app, const CheckOptions& o, const classify::ItemSpec& item) {
  license::Transaction t;
  t.item = &item;
  t.to = o.to;
  t.hq = o.hq;
  t.export_from = o.export_from;
  t.end_use = o.end_use;
  t.parties = o.parties;
  t.apply_ai_diffusion = o.apply_ai_diffusion;
  license::validate(t, app.rules());
  return t;
}

// ---------------------------------------------------------------------------
// Batch

struct BatchColumns {
  std::size_t chip, to, date;
  std::optional<std::size_t> hq, party, end_use, export_from;
};

// Everything the worker threads read; all of it is immutable while they run.
struct BatchContext {
  const rules::RuleSet& rules;
  const classify::Classifier& classifier;
  const license::Engine& engine;
  std::unordered_map<std::string, const catalog::Chip*> chips;
  BatchColumns cols;
  bool apply_ai_diffusion;
  std::string source;
  std::optional<Date> coverage_from;
};

const char* kOutputColumns =
    "license_required,policy,exceptions,flags,eccn,paragraph,requirements,decision,missing";

// Decides one row and appends its output line to `out`; throws InputError
// naming the line and column on bad input.
// Classifications already made in this block, by item and rule period.
using ClassificationCache =
    std::map<std::pair<const classify::ItemSpec*, std::size_t>, classify::Classification>;

void decide_row(const BatchContext& ctx, const std::vector<std::string>& row, int line, std::string& out,
                ClassificationCache& cache) {
  auto where = [&] { return location(ctx.source, line); };  // built only on error
  const auto chip_it = ctx.chips.find(row[ctx.cols.chip]);
  if (chip_it == ctx.chips.end())
    throw InputError(where(), "column 'chip': unknown chip id '" + row[ctx.cols.chip] + "'");
  license::Transaction t;
  t.item = &chip_it->second->spec;
  t.to = row[ctx.cols.to];
  const auto date = Date::parse(row[ctx.cols.date]);
  if (!date) throw InputError(where(), "column 'date': '" + row[ctx.cols.date] + "' is not YYYY-MM-DD");
  if (ctx.coverage_from && *date < *ctx.coverage_from)
    throw InputError(where(), "column 'date': " + date->str() + " is before " + ctx.coverage_from->str());
  t.date = *date;
  if (ctx.cols.hq) t.hq = row[*ctx.cols.hq];
  if (ctx.cols.export_from && !row[*ctx.cols.export_from].empty()) t.export_from = row[*ctx.cols.export_from];
  if (ctx.cols.end_use && !row[*ctx.cols.end_use].empty()) t.end_use = row[*ctx.cols.end_use];
  if (ctx.cols.party) {
    const std::string& cell = row[*ctx.cols.party];
    std::size_t start = 0;
    while (start < cell.size()) {
      std::size_t end = cell.find(';', start);
      if (end == std::string::npos) end = cell.size();
      std::string name = cell.substr(start, end - start);
      if (name.find_first_not_of(' ') != std::string::npos) t.parties.push_back(name);
      start = end + 1;
    }
  }
  t.apply_ai_diffusion = ctx.apply_ai_diffusion;
  try {
    license::validate(t, ctx.rules);
  } catch (const InputError& e) {
    const std::string column = e.where() == "--to"            ? "to"
                               : e.where() == "--hq"          ? "hq"
                               : e.where() == "--export-from" ? "export_from"
                               : e.where() == "--end-use"     ? "end_use"
                                                              : "party";
    throw InputError(where(), "column '" + column + "': " + e.message());
  }
  const auto key = std::make_pair(t.item, ctx.classifier.period_index(t.date));
  auto cached = cache.find(key);
  if (cached == cache.end())
    cached = cache.emplace(key, ctx.classifier.classify(*t.item, t.date, false)).first;
  const license::Decision d = ctx.engine.check(t, false, &cached->second);
  for (const auto& cell : row) {
    csv_append(out, cell);
    out += ',';
  }
  auto list = [&](const std::vector<std::string>& items) {
    std::string joined;
    for (const auto& i : items) {
      if (!joined.empty()) joined += ';';
      joined += i;
    }
    csv_append(out, joined);
    out += ',';
  };
  const auto& c = d.classification;
  if (!d.determined) {
    out += ",,,,,,,UNDETERMINED,";
    list(d.missing_inputs);
    out.back() = '\n';
    return;
  }
  out += d.license_required ? "true," : "false,";
  if (d.policy != license::Policy::None) out += license::to_string(d.policy);
  out += ',';
  list(d.exceptions);
  list(d.flags);
  if (c.determined) out += c.eccn;
  out += ',';
  out += c.paragraph;
  out += ',';
  list(d.requirements);
  csv_append(out, license::summary(d));
  out += ",\n";
}

// Decides the records of one block of the file (whole records only) and
// returns their output lines, or throws the first row's InputError.
std::string decide_block(const BatchContext& ctx, const std::vector<std::string>& header,
                         std::string_view text, int first_line) {
  std::istringstream in{std::string(text)};
  CsvReader csv(in, ctx.source, header, first_line);
  std::vector<std::string> row;
  std::string out;
  ClassificationCache cache;
  while (csv.next(row)) decide_row(ctx, row, csv.line(), out, cache);
  return out;
}

int run_batch(App& app, const CheckOptions& o) {
  if (o.out.empty()) throw InputError("--out", "is required with --file");
  if (!o.chip.empty() || !o.spec.empty() || !o.date.empty() || !o.to.empty() || o.timeline ||
      !o.parties.empty())
    throw InputError(
        "--file",
        "takes chip, to, date and party from the file; do not combine with --chip, --spec, --to, "
        "--date, --party or --timeline");
  std::ifstream in(o.file, std::ios::binary);
  if (!in) throw InputError(o.file, "cannot open transactions file");
  const auto total = std::filesystem::file_size(o.file);
  CsvReader csv(in, o.file);
  const std::vector<std::string> header = csv.header();
  BatchContext ctx{app.rules(),          app.classifier(), app.license_engine(),       {}, {},
                   o.apply_ai_diffusion, o.file,           app.rules().coverage_from()};
  ctx.cols.chip = csv.require_column("chip");
  ctx.cols.to = csv.require_column("to");
  ctx.cols.date = csv.require_column("date");
  ctx.cols.hq = csv.column("hq");
  ctx.cols.party = csv.column("party");
  ctx.cols.end_use = csv.column("end_use");
  ctx.cols.export_from = csv.column("export_from");
  for (const auto& chip : app.catalog().chips()) ctx.chips.emplace(chip.id, &chip);
  if (ctx.cols.party) (void)app.parties();

  // Write to a temporary file next to the output and rename at the end, so a
  // failure never leaves a partial decisions file behind.
  const std::string tmp = o.out + ".tmp." + std::to_string(::getpid());
  std::ofstream out(tmp, std::ios::binary);
  if (!out) throw InputError(o.out, "cannot write output file");
  try {
    std::string head;
    for (const auto& h : header) head += csv_escape(h) + ",";
    out << head << kOutputColumns << "\n";
    const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    const bool show = o.progress == 1 || (o.progress == -1 && ::isatty(2));
    Progress progress("check", total, show);

    // Pipeline: while the workers decide block k, this thread reads block k+1.
    // Blocks end on record boundaries and are split among the workers at
    // record starts; outputs are written in input order.
    constexpr std::size_t kBlock = 1 << 20;
    int line = csv.line() + 1;  // line of the first record after the header
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
      in.read(block.data() + have, static_cast<std::streamsize>(kBlock));
      block.resize(have + static_cast<std::size_t>(in.gcount()));
      if (in.eof() && !block.empty() && block.back() != '\n') block.push_back('\n');
      const std::size_t end = csv_record_boundary(block, &result.starts);
      carry = block.substr(end);
      block.resize(end);
      return result;
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
        workers.emplace_back([&, k, text, part_line] {
          try {
            outputs[k] = decide_block(ctx, header, text, part_line);
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
      progress.update(consumed, done);
      current = std::move(next);
    }
    if (!carry.empty()) throw InputError(location(o.file, line), "unterminated quoted field");
    progress.finish(done);
    out.close();
    if (!out) throw InputError(o.out, "write failed");
    std::filesystem::rename(tmp, o.out);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
  return 0;
}

}  // namespace

int check(App& app, const CheckOptions& o, std::ostream& out) {
  if (!o.file.empty()) return run_batch(app, o);
  const int sources = (o.chip.empty() ? 0 : 1) + (o.spec.empty() ? 0 : 1);
  if (sources != 1)
    throw InputError("check", "give exactly one of --chip ID or --spec FILE (or --file for a batch)");
  if (o.to.empty()) throw InputError("--to", "is required (ISO country code of the destination)");
  if (!o.timeline && o.date.empty())
    throw InputError("--date", "is required (YYYY-MM-DD), or use --timeline");
  if (o.timeline && !o.date.empty()) throw InputError("--date", "cannot be combined with --timeline");
  if (!o.out.empty()) throw InputError("--out", "applies to --file batches only");

  const auto [spec, where] = app.item(o.chip, o.spec);
  license::Transaction t = transaction_from(app, o, spec);
  const license::Engine& engine = app.license_engine();
  std::ostringstream buffer;

  if (o.timeline) {
    const Date start = Date::from_ymd(2022, 10, 1);
    json entries = json::array();
    std::string previous;
    for (Date d : engine.timeline_dates(start, Date::today())) {
      t.date = d;
      const auto decision = engine.check(t, true);
      if (!decision.determined)
        throw_undetermined(where, "decide for '" + spec.name + "' to " + t.to + " on " + t.date.str(),
                           decision.missing_inputs);
      json j = license::to_json(decision, t, app.rules());
      const std::string now = license::summary(decision);
      j["changed"] = !previous.empty() && now != previous;
      previous = now;
      entries.push_back(std::move(j));
    }
    if (o.json) {
      buffer << json{{"item", spec.name}, {"to", o.to}, {"timeline", entries}}.dump(2) << "\n";
    } else {
      buffer << "License decision for " << spec.name << " to " << o.to << " at every rule boundary, "
             << start.str() << " to " << Date::today().str() << "\n";
      Table table({"from", "eccn", "decision", "deciding rules"});
      for (const auto& j : entries) {
        std::vector<std::string> ids;
        for (const auto& r : j["reasons"])
          if (r.contains("rule") && (r["type"] == "requirement" || r["type"] == "policy")) {
            const std::string id = r["rule"].get<std::string>();
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
          }
        const auto& c = j["classification"];
        table.add({j["date"].get<std::string>() + (j["changed"].get<bool>() ? " *" : ""),
                   c["eccn"].is_null() ? "?" : c["eccn"].get<std::string>(), j["decision"].get<std::string>(),
                   join(ids, ", ")});
      }
      buffer << table.render()
             << "(* = the decision changed at this boundary; details: --json or check --date D)\n";
    }
    out << buffer.str();
    return 0;
  }

  t.date = app.parse_date(o.date);
  const auto decision = engine.check(t, true);
  if (!decision.determined)
    throw_undetermined(where, "decide for '" + spec.name + "' to " + t.to + " on " + t.date.str(),
                       decision.missing_inputs);
  const json j = license::to_json(decision, t, app.rules());
  if (o.json)
    buffer << j.dump(2) << "\n";
  else
    buffer << license::render_text(j);
  out << buffer.str();
  return 0;
}

}  // namespace exportctl::cli
