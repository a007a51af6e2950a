#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
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
  return v.dump();
}

// The provision that decided (or the last one examined), for one-line summaries.
std::string decisive(const json& j) {
  if (!j["paragraph"].is_null()) return j["paragraph"].get<std::string>();
  if (j.contains("excluded_by")) return "excluded by " + j["excluded_by"].get<std::string>();
  if (j["rules_in_force"].empty()) return "no 3A090 rule in force";
  return "no paragraph met";
}

}  // namespace

int classify(App& app, const ClassifyOptions& o, std::ostream& out) {
  const int sources = (o.chip.empty() ? 0 : 1) + (o.spec.empty() ? 0 : 1) + (o.all ? 1 : 0);
  if (sources != 1) throw InputError("classify", "give exactly one of --chip ID, --spec FILE or --all");
  if (o.all && o.timeline) throw InputError("classify", "--timeline works with --chip or --spec, not --all");
  if (!o.timeline && o.date.empty())
    throw InputError("--date", "is required (YYYY-MM-DD), or use --timeline");
  if (o.timeline && !o.date.empty()) throw InputError("--date", "cannot be combined with --timeline");
  if (!o.format.empty() && !o.all)
    throw InputError("--format", "applies to --all only; use --json otherwise");
  const std::string format = o.format.empty() ? (o.json ? "json" : "table") : o.format;
  if (format != "table" && format != "csv" && format != "json")
    throw InputError("--format", "must be table, csv or json");

  const classify::Classifier& classifier = app.classifier();
  std::ostringstream buffer;

  if (o.all) {
    const Date date = app.parse_date(o.date);
    json rows = json::array();
    for (const auto& chip : app.catalog().chips()) {
      json j = classify::to_json(classifier.classify(chip.spec, date, true));
      rows.push_back(std::move(j));
    }
    if (format == "json") {
      buffer << json{{"date", date.str()}, {"results", rows}}.dump(2) << "\n";
    } else if (format == "csv") {
      buffer << "chip,date,eccn,paragraph,tpp,pd,rule_version,note\n";
      for (const auto& j : rows) {
        const std::string note =
            j.contains("missing_inputs") ? "undetermined: needs " + j["missing_inputs"].dump() : decisive(j);
        buffer << csv_escape(fmt(j["chip"])) << "," << fmt(j["date"]) << "," << fmt(j["eccn"]) << ","
               << fmt(j["paragraph"]) << "," << fmt(j["tpp"], 4) << "," << fmt(j["pd"], 4) << ","
               << fmt(j["rule_version"]) << "," << csv_escape(note) << "\n";
      }
    } else {
      Table t({"chip", "eccn", "paragraph", "tpp", "pd", "rule", "why"});
      for (const auto& j : rows) {
        const bool open = !j["determined"].get<bool>();
        t.add({fmt(j["chip"]), open ? "UNDETERMINED" : fmt(j["eccn"]), fmt(j["paragraph"]), fmt(j["tpp"]),
               fmt(j["pd"]), fmt(j["rule_version"]),
               open ? "needs " + j["missing_inputs"].dump() : decisive(j)});
      }
      buffer << "Classification of the catalog on " << date.str() << "\n" << t.render();
    }
    out << buffer.str();
    return 0;
  }

  const auto [spec, where] = app.item(o.chip, o.spec);

  if (o.timeline) {
    const Date start = Date::from_ymd(2022, 10, 1);
    json entries = json::array();
    std::string previous;
    for (Date d : classifier.timeline_dates(start, Date::today())) {
      const auto c = classifier.classify(spec, d, true);
      if (!c.determined)
        throw_undetermined(where, "classify '" + c.item + "' on " + c.date.str(), c.missing_inputs);
      json j = classify::to_json(c);
      const std::string now = c.eccn + "|" + c.paragraph;
      j["changed"] = !previous.empty() && now != previous;
      previous = now;
      entries.push_back(std::move(j));
    }
    if (o.json) {
      buffer << json{{"chip", spec.name},
                     {"from", start.str()},
                     {"to", Date::today().str()},
                     {"timeline", entries}}
                    .dump(2)
             << "\n";
    } else {
      buffer << "Classification of " << spec.name << " at every rule boundary, " << start.str() << " to "
             << Date::today().str() << "\n";
      Table t({"from", "eccn", "paragraph", "rule", "why", "citation"});
      for (const auto& j : entries)
        t.add({fmt(j["date"]) + (j["changed"].get<bool>() ? " *" : ""), fmt(j["eccn"]), fmt(j["paragraph"]),
               fmt(j["rule_version"]), decisive(j),
               j["citation"].is_null() ? "" : j["citation"]["text"].get<std::string>()});
      buffer << t.render() << "(* = changed at this boundary)\n\n";
      for (const auto& j : entries) buffer << classify::render_text(j) << "\n";
    }
    out << buffer.str();
    return 0;
  }

  const Date date = app.parse_date(o.date);
  const auto c = classifier.classify(spec, date, true);
  if (!c.determined)
    throw_undetermined(where, "classify '" + c.item + "' on " + c.date.str(), c.missing_inputs);
  const json j = classify::to_json(c);
  if (o.json) {
    buffer << j.dump(2) << "\n";
  } else {
    buffer << classify::render_text(j);
  }
  out << buffer.str();
  return 0;
}

}  // namespace exportctl::cli
