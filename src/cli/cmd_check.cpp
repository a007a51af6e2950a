// exportctl check: one transaction (text or JSON), its timeline, or a batch
// CSV file processed in parallel chunks and written in input order.

#include <unistd.h>

#include <filesystem>
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

[[noreturn]] void undetermined(const license::Decision& d, const license::Transaction& t,
                               const std::string& where) {
  std::string fields;
  for (const auto& input : d.missing_inputs)
    fields += (fields.empty() ? "" : ", ") + input + " (from " + spec_field_for_input(input) + ")";
  throw InputError(where, "cannot decide for '" + t.item->name + "' to " + t.to + " on " + t.date.str() +
                              ": the rules in force need " + fields + ", which the item lacks");
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

struct BatchContext {
  App& app;
  const license::Engine& engine;
  std::unordered_map<std::string, const catalog::Chip*> chips;
  BatchColumns cols;
  bool apply_ai_diffusion;
  std::string source;
};

const char* kOutputColumns =
    "license_required,policy,exceptions,flags,eccn,paragraph,requirements,decision,missing";

// Decides one row; throws InputError naming the line and column on bad input.
std::string decide_row(const BatchContext& ctx, const std::vector<std::string>& row, int line) {
  const std::string where = location(ctx.source, line);
  const auto chip_it = ctx.chips.find(row[ctx.cols.chip]);
  if (chip_it == ctx.chips.end())
    throw InputError(where, "column 'chip': unknown chip id '" + row[ctx.cols.chip] + "'");
  license::Transaction t;
  t.item = &chip_it->second->spec;
  t.to = row[ctx.cols.to];
  const auto date = Date::parse(row[ctx.cols.date]);
  if (!date) throw InputError(where, "column 'date': '" + row[ctx.cols.date] + "' is not YYYY-MM-DD");
  if (const auto from = ctx.app.rules().coverage_from(); from && *date < *from)
    throw InputError(where, "column 'date': " + date->str() + " is before " + from->str());
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
    license::validate(t, ctx.app.rules());
  } catch (const InputError& e) {
    const std::string column = e.where() == "--to"            ? "to"
                               : e.where() == "--hq"          ? "hq"
                               : e.where() == "--export-from" ? "export_from"
                               : e.where() == "--end-use"     ? "end_use"
                                                              : "party";
    throw InputError(where, "column '" + column + "': " + e.message());
  }
  const license::Decision d = ctx.engine.check(t, false);
  std::string out;
  for (const auto& cell : row) out += csv_escape(cell) + ",";
  const auto& c = d.classification;
  if (!d.determined) {
    out += ",,,,,,,UNDETERMINED," + csv_escape(join(d.missing_inputs, ";"));
  } else {
    out += std::string(d.license_required ? "true" : "false") + ",";
    out +=
        (d.policy == license::Policy::None ? std::string() : std::string(license::to_string(d.policy))) + ",";
    out += csv_escape(join(d.exceptions, ";")) + "," + csv_escape(join(d.flags, ";")) + ",";
    out += (c.determined ? c.eccn : std::string()) + "," + c.paragraph + ",";
    out += csv_escape(join(d.requirements, ";")) + "," + csv_escape(license::summary(d)) + ",";
  }
  out += "\n";
  return out;
}

int run_batch(App& app, const CheckOptions& o) {
  if (o.out.empty()) throw InputError("--out", "is required with --file");
  if (!o.chip.empty() || !o.spec.empty() || !o.date.empty() || !o.to.empty() || o.timeline ||
      !o.parties.empty())
    throw InputError("--file",
                     "takes chip, to, date and party from the file; do not combine with --chip, --spec, "
                     "--to, --date, --party or --timeline");
  std::ifstream in(o.file, std::ios::binary);
  if (!in) throw InputError(o.file, "cannot open transactions file");
  const auto total = std::filesystem::file_size(o.file);
  CsvReader csv(in, o.file);
  BatchContext ctx{app, app.license_engine(), {}, {}, o.apply_ai_diffusion, o.file};
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
    std::string header;
    for (const auto& h : csv.header()) header += csv_escape(h) + ",";
    out << header << kOutputColumns << "\n";
    const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    const bool show = o.progress == 1 || (o.progress == -1 && ::isatty(2));
    Progress progress("check", total, show);
    constexpr std::size_t kChunk = 8192;
    std::vector<std::vector<std::string>> rows(kChunk);
    std::vector<int> lines(kChunk);
    std::vector<std::string> results(kChunk);
    std::uint64_t done = 0;
    for (;;) {
      std::size_t n = 0;
      while (n < kChunk && csv.next(rows[n])) lines[n] = csv.line(), ++n;
      if (n == 0) break;
      std::vector<std::thread> workers;
      std::vector<std::exception_ptr> errors(threads);
      for (unsigned w = 0; w < threads; ++w) {
        workers.emplace_back([&, w] {
          try {
            for (std::size_t i = w; i < n; i += threads) results[i] = decide_row(ctx, rows[i], lines[i]);
          } catch (...) {
            errors[w] = std::current_exception();
          }
        });
      }
      for (auto& t : workers) t.join();
      // Report the error of the earliest failing row.
      std::exception_ptr first;
      int first_line = 0;
      for (unsigned w = 0; w < threads; ++w) {
        if (!errors[w]) continue;
        try {
          std::rethrow_exception(errors[w]);
        } catch (const InputError& e) {
          const auto colon = e.where().rfind(':');
          const int line = colon == std::string::npos ? 0 : std::atoi(e.where().c_str() + colon + 1);
          if (!first || line < first_line) first = errors[w], first_line = line;
        } catch (...) {
          first = errors[w];
          first_line = 0;
        }
      }
      if (first) std::rethrow_exception(first);
      for (std::size_t i = 0; i < n; ++i) out << results[i];
      done += n;
      const std::streamoff position = in.tellg();
      progress.update(position < 0 ? total : static_cast<std::uint64_t>(position), done);
    }
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

  classify::ItemSpec spec;
  std::string where;
  if (!o.chip.empty()) {
    spec = app.chip(o.chip).spec;
    where = "--chip " + o.chip;
  } else {
    spec = classify::load_spec_file(o.spec, app.rules().metrics());
    where = o.spec;
  }
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
      if (!decision.determined) undetermined(decision, t, where);
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
  if (!decision.determined) undetermined(decision, t, where);
  const json j = license::to_json(decision, t, app.rules());
  if (o.json)
    buffer << j.dump(2) << "\n";
  else
    buffer << license::render_text(j);
  out << buffer.str();
  return 0;
}

}  // namespace exportctl::cli
