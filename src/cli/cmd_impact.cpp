// exportctl impact: an order book decided under the rules as of two dates (the
// second optionally with what-if scenarios); summary.json, changes.csv and
// report.html written into --out all or nothing, and a table on stdout.

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/table.h"
#include "core/error.h"
#include "core/files.h"
#include "core/json.h"
#include "impact/impact.h"

namespace exportctl::cli {

using nlohmann::json;

namespace {

// Discards what is written (changes rows when there is no --out).
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

using impact::grouped;

std::string money(const json& revenue) {
  std::string out;
  for (const auto& [currency, amount] : revenue.items())
    out += (out.empty() ? "" : "; ") + currency + " " + impact::grouped_amount(amount.get<double>());
  return out.empty() ? "-" : out;
}

std::string render_table(const json& s, const std::string& out_dir) {
  std::ostringstream o;
  o << "Impact " << s["before"].get<std::string>() << " -> " << s["after"].get<std::string>();
  if (!s["scenarios"].empty()) {
    o << " with scenarios";
    for (const auto& sc : s["scenarios"]) o << " " << sc["id"].get<std::string>();
    o << " (HYPOTHETICAL)";
  }
  o << ": " << grouped(s["orders"].get<std::uint64_t>()) << " orders";
  if (s["skipped_rows"].get<std::uint64_t>() > 0)
    o << ", " << grouped(s["skipped_rows"].get<std::uint64_t>()) << " bad rows skipped";
  o << "\n";
  Table t({"change", "orders", "units", "revenue"});
  for (const char* kind : {"newly_required", "tightened", "freed", "eased", "undetermined", "unchanged"}) {
    const json& b = s["by_change"][kind];
    t.add({kind, grouped(b["orders"].get<std::uint64_t>()), grouped(b["units"].get<std::uint64_t>()),
           money(b["revenue"])});
  }
  o << t.render();
  o << "exposure (newly_required + tightened): " << grouped(s["exposure"]["orders"].get<std::uint64_t>())
    << " orders, " << money(s["exposure"]["revenue"]) << "\n";
  for (const char* side : {"before", "after"}) {
    const json& missing = s["undetermined_missing"][side];
    if (missing.empty()) continue;
    o << "undetermined " << side << ", waiting for:";
    for (const auto& [input, n] : missing.items())
      o << " " << input << " (" << grouped(n.get<std::uint64_t>()) << ")";
    o << "\n";
  }
  if (!s["top_customers"].empty()) {
    Table c({"largest exposure", "orders", "revenue"});
    for (const auto& row : s["top_customers"])
      c.add({row["customer"].get<std::string>(), grouped(row["exposure"]["orders"].get<std::uint64_t>()),
             money(row["exposure"]["revenue"])});
    o << c.render();
  }
  for (const auto& b : s["bad_rows"])
    o << "skipped line " << b["line"].get<int>() << ": " << b["error"].get<std::string>() << "\n";
  if (!out_dir.empty()) o << "wrote " << out_dir << "/{summary.json,changes.csv,report.html}\n";
  return o.str();
}

}  // namespace

int impact(App& app, const ImpactOptions& o, std::ostream& out) {
  if (o.orders.empty()) throw InputError("--orders", "is required (the order book CSV)");
  if (o.before.empty()) throw InputError("--before", "is required (YYYY-MM-DD)");
  if (o.after.empty()) throw InputError("--after", "is required (YYYY-MM-DD)");
  for (const auto& file : o.scenarios)
    if (!std::filesystem::is_regular_file(file)) throw InputError(file, "scenario file not found");
  std::ifstream in(o.orders, std::ios::binary);
  if (!in) throw InputError(o.orders, "cannot open the order book");
  // End users are screened only when a row names one (indexing takes a few hundred ms).
  const auto before = app.snapshot(engine::Config::Screening::OnFirstUse);
  const auto after = o.scenarios.empty() ? before : engine::Snapshot::with_scenarios(before, o.scenarios);
  impact::Options options;
  options.before = engine::parse_date(*before, o.before, "before");
  options.after = engine::parse_date(*before, o.after, "after");
  options.strict = o.strict;
  options.threads = o.threads;
  Progress progress("impact", std::filesystem::file_size(o.orders), show_progress(o.progress));
  options.progress = [&](std::uint64_t bytes, std::uint64_t rows) { progress.update(bytes, rows); };

  std::unique_ptr<AtomicDir> dir;
  std::ofstream changes_file;
  NullBuffer null_buffer;
  std::ostream null_stream(&null_buffer);
  std::ostream* changes = &null_stream;
  if (!o.out.empty()) {
    dir = std::make_unique<AtomicDir>(o.out);
    changes_file.open(dir->path() / "changes.csv", std::ios::binary);
    if (!changes_file) throw InputError(o.out, "cannot write changes.csv");
    changes = &changes_file;
  }
  const json summary = impact::analyse(before, after, in, o.orders, *changes, options);
  progress.finish(summary["orders"].get<std::uint64_t>());
  if (dir) {
    changes_file.close();
    if (!changes_file) throw InputError(o.out, "write of changes.csv failed");
    write_file_atomically(dir->path() / "summary.json", dump_json(summary, 2) + "\n");
    write_file_atomically(dir->path() / "report.html", impact::render_html(summary));
    dir->commit();
  }
  out << (o.json ? dump_json(summary, 2) + "\n" : render_table(summary, o.out));
  return kExitOk;
}

}  // namespace exportctl::cli
