// exportctl classify: one item on a date, its timeline, or the whole catalog.

#include <sstream>

#include "cli/commands.h"
#include "core/json.h"
#include "cli/render.h"
#include "cli/table.h"
#include "core/csv.h"
#include "core/error.h"

namespace exportctl::cli {

using nlohmann::json;

namespace {

std::string fmt(const json& v, int decimals = 2) {
  if (v.is_null()) return "";
  if (v.is_number()) {
    char buf[64];
    const double d = v.get<double>();
    if (d == static_cast<double>(static_cast<long long>(d)))
      std::snprintf(buf, sizeof buf, "%.0f", d);
    else
      std::snprintf(buf, sizeof buf, "%.*f", decimals, d);
    return buf;
  }
  if (v.is_string()) return v.get<std::string>();
  return dump_json(v);
}

}  // namespace

int classify(App& app, const ClassifyOptions& o, std::ostream& out) {
  const int sources = (o.chip.empty() ? 0 : 1) + (o.spec.empty() ? 0 : 1) + (o.all ? 1 : 0);
  if (sources != 1) throw InputError("classify", "give exactly one of --chip ID, --spec FILE or --all");
  if (o.all && o.timeline) throw InputError("classify", "--timeline works with --chip or --spec, not --all");
  if (!o.format.empty() && !o.all)
    throw InputError("--format", "applies to --all only; use --json otherwise");
  const std::string format = o.format.empty() ? (o.json ? "json" : "table") : o.format;
  if (format != "table" && format != "csv" && format != "json")
    throw InputError("--format", "must be table, csv or json");
  const auto snapshot = app.snapshot(false);
  std::ostringstream buffer;

  if (o.all) {
    if (o.date.empty()) throw InputError("--date", "is required (YYYY-MM-DD)");
    json rows = json::array();
    for (const auto& chip : snapshot->catalog().chips())
      rows.push_back(engine::classify(snapshot, {{chip.id, nullptr}, o.date, false}).json);
    if (format == "json") {
      buffer << dump_json(json{{"date", o.date}, {"results", rows}, {"versions", snapshot->versions_json()}},
                          2)
             << "\n";
    } else if (format == "csv") {
      buffer << "chip,date,eccn,paragraph,tpp,pd,rule_version,note\n";
      for (const auto& j : rows)
        buffer << csv_escape(fmt(j["chip"])) << "," << fmt(j["date"]) << "," << fmt(j["eccn"]) << ","
               << fmt(j["paragraph"]) << "," << fmt(j["tpp"], 4) << "," << fmt(j["pd"], 4) << ","
               << fmt(j["rule_version"]) << "," << csv_escape(j["why"].get<std::string>()) << "\n";
    } else {
      Table t({"chip", "eccn", "paragraph", "tpp", "pd", "rule", "why"});
      for (const auto& j : rows) {
        const bool open = !j["determined"].get<bool>();
        t.add({fmt(j["chip"]), open ? "UNDETERMINED" : fmt(j["eccn"]), fmt(j["paragraph"]), fmt(j["tpp"]),
               fmt(j["pd"]), fmt(j["rule_version"]), j["why"].get<std::string>()});
      }
      if (!rows.empty()) buffer << hypothetical_banner(rows[0]);
      buffer << "Classification of the catalog on " << o.date << "\n" << t.render();
    }
    out << buffer.str();
    return kExitOk;
  }

  const engine::Response r = engine::classify(snapshot, {app.item(o.chip, o.spec), o.date, o.timeline});
  const json& j = r.json;
  if (!o.json) buffer << hypothetical_banner(j);
  if (o.json) {
    buffer << dump_json(j, 2) << "\n";
  } else if (o.timeline) {
    buffer << "Classification of " << j["chip"].get<std::string>() << " at every rule boundary, "
           << j["from"].get<std::string>() << " to " << j["to"].get<std::string>() << "\n";
    Table t({"from", "eccn", "paragraph", "rule", "why", "citation"});
    for (const auto& e : j["timeline"])
      t.add({fmt(e["date"]) + (e["changed"].get<bool>() ? " *" : ""),
             e["determined"].get<bool>() ? fmt(e["eccn"]) : "UNDETERMINED", fmt(e["paragraph"]),
             fmt(e["rule_version"]), e["why"].get<std::string>(),
             e["citation"].is_null() ? "" : e["citation"]["text"].get<std::string>()});
    buffer << t.render() << "(* = changed at this boundary)\n";
    if (j.contains("missing")) buffer << "UNDETERMINED on some dates:\n" << missing_text(j["missing"]);
    buffer << "\n";
    for (const auto& e : j["timeline"]) buffer << classification_text(e) << "\n";
  } else {
    buffer << classification_text(j);
  }
  out << buffer.str();
  return r.determined ? kExitOk : kExitUndetermined;
}

}  // namespace exportctl::cli
