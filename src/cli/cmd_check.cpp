// exportctl check: one transaction (text or JSON), its timeline, or a batch
// CSV file decided on every core and written in input order.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/audit.h"
#include "cli/commands.h"
#include "core/json.h"
#include "cli/progress.h"
#include "cli/render.h"
#include "cli/table.h"
#include "core/error.h"
#include "core/files.h"

namespace exportctl::cli {

using nlohmann::json;

bool show_progress(int setting) {
  return setting == 1 || (setting == -1 && ::isatty(2));
}

namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

int run_batch(App& app, const CheckOptions& o) {
  if (o.out.empty()) throw InputError("--out", "is required with --file");
  if (!o.chip.empty() || !o.spec.empty() || !o.date.empty() || !o.to.empty() || o.timeline ||
      !o.parties.empty() || !o.owners.empty())
    throw InputError(
        "--file",
        "takes chip, to, date, party and owners from the file; do not combine with --chip, --spec, "
        "--to, --date, --party, --owner or --timeline");
  std::ifstream in(o.file, std::ios::binary);
  if (!in) throw InputError(o.file, "cannot open transactions file");
  const auto total = std::filesystem::file_size(o.file);
  // Indexing the lists takes a few hundred ms: only when a row names a party.
  const auto snapshot = app.snapshot(engine::Config::Screening::OnFirstUse);
  AtomicFile file(o.out);  // nothing is left behind unless the whole batch succeeds
  Progress progress("check", total, show_progress(o.progress));
  const std::unique_ptr<audit::Log> log = o.audit.empty() ? nullptr : audit::open_log(o.audit);
  engine::BatchOptions options{
      o.threads, [&](std::uint64_t bytes, std::uint64_t rows) { progress.update(bytes, rows); }, {}};
  const std::string caller = cli_caller();
  const nlohmann::json versions = snapshot->versions_json();
  if (log) {
    options.record = [&](nlohmann::json request, nlohmann::json response, std::vector<std::string> ids) {
      log->append(audit::make_entry("check", caller, request, response, versions, std::move(ids)));
    };
  }
  const engine::BatchSummary summary =
      engine::check_batch(snapshot, in, o.file, file.stream(), options, o.apply_ai_diffusion);
  file.commit();
  progress.finish(summary.rows);
  if (summary.undetermined > 0)
    std::fprintf(stderr, "%llu of %llu rows UNDETERMINED (see the missing column)\n",
                 static_cast<unsigned long long>(summary.undetermined),
                 static_cast<unsigned long long>(summary.rows));
  return kExitOk;
}

}  // namespace

int check(App& app, const CheckOptions& o, std::ostream& out) {
  if (!o.file.empty()) return run_batch(app, o);
  const int sources = (o.chip.empty() ? 0 : 1) + (o.spec.empty() ? 0 : 1);
  if (sources != 1)
    throw InputError("check", "give exactly one of --chip ID or --spec FILE (or --file for a batch)");
  if (!o.out.empty()) throw InputError("--out", "applies to --file batches only");

  engine::CheckRequest request;
  request.item = app.item(o.chip, o.spec);
  request.to = o.to;
  request.hq = o.hq;
  request.export_from = o.export_from;
  request.end_use = o.end_use;
  request.date = o.date;
  request.parties = o.parties;
  for (std::size_t i = 0; i < o.owners.size(); ++i)
    request.owners.push_back(engine::parse_owner(o.owners[i], "owners[" + std::to_string(i) + "]"));
  request.apply_ai_diffusion = o.apply_ai_diffusion;
  request.timeline = o.timeline;
  const auto snapshot = app.snapshot(!o.parties.empty() || !o.owners.empty());
  engine::Response r = engine::check(snapshot, request);
  if (!o.audit.empty()) {
    // Durable before the answer is shown.
    const audit::Record record = audit::open_log(o.audit)->append(audit::make_entry(
        "check", cli_caller(), engine::to_json(request), r.json, snapshot->versions_json(), r.rule_ids));
    r.json["audit"] = {{"seq", record.seq}, {"hash", record.hash}};
  }
  const json& j = r.json;
  std::ostringstream buffer;
  if (!o.json) buffer << hypothetical_banner(j);
  if (o.json) {
    buffer << dump_json(j, 2) << "\n";
  } else if (o.timeline) {
    buffer << "License decision for " << j["item"].get<std::string>() << " to " << o.to
           << " at every rule boundary, " << j["from"].get<std::string>() << " to " << Date::today().str()
           << "\n";
    Table table({"from", "eccn", "decision", "deciding rules"});
    for (const auto& e : j["timeline"]) {
      std::vector<std::string> ids;
      for (const auto& id : e["deciding_rules"]) ids.push_back(id.get<std::string>());
      const auto& c = e["classification"];
      table.add({e["date"].get<std::string>() + (e["changed"].get<bool>() ? " *" : ""),
                 c["eccn"].is_null() ? "?" : c["eccn"].get<std::string>(), e["decision"].get<std::string>(),
                 join(ids, ", ")});
    }
    buffer << table.render()
           << "(* = the decision changed at this boundary; details: --json or check --date D)\n";
    if (j.contains("missing")) buffer << "UNDETERMINED on some dates:\n" << missing_text(j["missing"]);
  } else {
    buffer << decision_text(j);
  }
  if (!o.json) buffer << watch_text(j);
  out << buffer.str();
  return r.determined ? kExitOk : kExitUndetermined;
}

}  // namespace exportctl::cli
