// Text renderings of engine responses. Everything here reads JSON only, so
// the text says exactly what --json and the API say.

#include "cli/render.h"
#include "core/json.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace exportctl::cli {

using nlohmann::json;

std::string show(const json& v) {
  if (v.is_null()) return "unknown";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) {
    const double d = v.get<double>();
    char buf[64];
    std::snprintf(buf, sizeof buf, std::fabs(d - std::round(d)) < 1e-9 ? "%.0f" : "%.2f", d);
    return buf;
  }
  return dump_json(v);
}

std::string missing_text(const json& missing) {
  std::string out;
  for (const auto& m : missing) {
    std::string tests;
    for (const auto& t : m["tests"]) tests += (tests.empty() ? "" : "; ") + t.get<std::string>();
    out += "  needs " + m["input"].get<std::string>() + " (spec field " + m["field"].get<std::string>() +
           "): " + tests + "\n";
  }
  return out;
}

std::string classification_text(const json& j) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  const std::string verdict =
      j["determined"].get<bool>()
          ? j["eccn"].get<std::string>() +
                (j["paragraph"].is_null() ? "" : " (paragraph " + j["paragraph"].get<std::string>() + ")")
          : "UNDETERMINED";
  line(j["chip"].get<std::string>() + " on " + j["date"].get<std::string>() + ": " + verdict);
  if (j["determined"].get<bool>()) line("  why: " + j["why"].get<std::string>());
  if (j.contains("missing")) out += missing_text(j["missing"]);
  const json& m = j["metrics"];
  std::string metrics_line = "  TPP " + show(m["tpp"]["value"]);
  if (!m["tpp"]["basis"].get<std::string>().empty())
    metrics_line += " (basis " + m["tpp"]["basis"].get<std::string>() + ")";
  metrics_line += "; PD " + show(m["pd"]["value"]);
  if (!m["pd"]["value"].is_null())
    metrics_line += " (TPP / " + show(m["pd"]["nonplanar_logic_area_mm2"]) + " mm2 non-planar logic)";
  line(metrics_line);
  for (const auto& t : m["tpp"]["terms"]) {
    line(
        "    " + t["precision"].get<std::string>() + ": " + show(t["dense_tops"]) + " dense TOPS x " +
        (t["bits"].is_null() ? std::string("(not counted)") : show(t["bits"]) + " bits = " + show(t["tpp"])));
  }
  if (j["rules_in_force"].empty() && j.contains("next_rule"))
    line("  No 3A090/4A090 rule was in force on this date; the first, " +
         j["next_rule"]["id"].get<std::string>() + ", applies from " +
         j["next_rule"]["effective_from"].get<std::string>() + " (" +
         j["next_rule"]["citation"]["text"].get<std::string>() + ").");
  else if (j["rules_in_force"].empty())
    line("  No 3A090/4A090 rule was in force on this date.");
  std::string current_rule;
  for (const auto& s : j["trace"]) {
    const std::string rule = s["rule"].get<std::string>();
    if (rule != current_rule) {
      current_rule = rule;
      for (const auto& r : j["rules_in_force"])
        if (r["id"] == rule)
          line("  [" + rule + "] " + r["title"].get<std::string>() + " — " +
               r["citation"]["text"].get<std::string>() + ", in force from " +
               r["effective_from"].get<std::string>());
    }
    const std::string result = s["result"].get<std::string>();
    std::string verdict_word = result == "true"    ? (s["role"] == "exclusion" ? "APPLIES" : "MET")
                               : result == "false" ? "not met"
                                                   : "UNDECIDED";
    if (s.contains("note")) verdict_word = "skipped: " + s["note"].get<std::string>();
    line("    " + s["provision"].get<std::string>() + " (" + s["role"].get<std::string>() +
         "): " + verdict_word + "   [" + s["citation"]["text"].get<std::string>() + "; evidence " +
         s["evidence"].get<std::string>() + "]");
    for (const auto& c : s["comparisons"]) {
      std::string right =
          c["op"] == "in" || c["op"] == "is" ? c["right"].get<std::string>() : show(c["right_value"]);
      line("      " + c["left"].get<std::string>() + " = " + show(c["left_value"]) + "  " +
           c["op"].get<std::string>() + " " + right + "  -> " + c["result"].get<std::string>());
    }
  }
  if (j.contains("excluded_by")) line("  Excluded by " + j["excluded_by"].get<std::string>() + ".");
  if (!j["rule_version"].is_null() && !j["citation"].is_null())
    line("  Decided under " + j["rule_version"].get<std::string>() + ": " +
         j["citation"]["text"].get<std::string>() +
         (j["citation"].contains("url") ? " <" + j["citation"]["url"].get<std::string>() + ">" : ""));
  return out;
}

std::string decision_text(const json& j) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  std::string head = j["item"].get<std::string>() + " -> " + j["to"].get<std::string>();
  if (j["hq"] != j["to"]) head += " (end user headquartered in " + j["hq"].get<std::string>() + ")";
  if (j["export_from"] != "US") head += ", exported from " + j["export_from"].get<std::string>();
  if (j["end_use"] != "none") head += ", end use " + j["end_use"].get<std::string>();
  line(head + " on " + j["date"].get<std::string>() + ":");
  line("  " + j["decision"].get<std::string>());
  if (j["determined"].get<bool>() && !j["why"].get<std::string>().empty())
    line("  why: " + j["why"].get<std::string>());
  if (j.contains("missing")) out += missing_text(j["missing"]);
  if (j.contains("unknown_inputs_not_deciding")) {
    std::string names;
    for (const auto& n : j["unknown_inputs_not_deciding"])
      names += (names.empty() ? "" : ", ") + n.get<std::string>();
    line("  unknown, but no value of theirs could change this answer: " + names);
  }
  const json& c = j["classification"];
  std::string cls = c["determined"].get<bool>() ? c["eccn"].get<std::string>() : "UNDETERMINED";
  if (!c["paragraph"].is_null()) cls += " (" + c["paragraph"].get<std::string>() + ")";
  line("  ├─ classification: " + cls + ", TPP " + show(c["tpp"]) + ", PD " + show(c["pd"]) +
       (c["rule_version"].is_null() ? ""
                                    : " — " + c["rule_version"].get<std::string>() + ", " +
                                          c["citation"]["text"].get<std::string>()));
  const auto& reasons = j["reasons"];
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    const json& r = reasons[i];
    const bool last = i + 1 == reasons.size();
    std::string label = r["type"].get<std::string>();
    if (r["type"] == "requirement" || r["type"] == "not-applicable" || r["type"] == "undetermined") {
      label += " " + r["requirement"].get<std::string>();
    } else {
      if (r.contains("provision")) label += " " + r["provision"].get<std::string>();
      if (r.contains("requirement")) label += " (for " + r["requirement"].get<std::string>() + ")";
    }
    std::string cite;
    if (r.contains("rule"))
      cite = "  [" + r["rule"].get<std::string>() + ": " + r["citation"]["text"].get<std::string>() +
             "; evidence " + r["evidence"].get<std::string>() +
             (r["rule_status"] != "in-force" ? "; " + r["rule_status"].get<std::string>() : "") + "]";
    line(std::string("  ") + (last ? "└─ " : "├─ ") + label + cite);
    const std::string bar = last ? "     " : "  │  ";
    if (!r["sentence"].get<std::string>().empty()) line(bar + r["sentence"].get<std::string>());
    if (r.contains("detail")) line(bar + r["detail"].get<std::string>());
    for (const auto& cmp : r["comparisons"]) {
      const std::string right =
          cmp["op"] == "in" || cmp["op"] == "is" ? cmp["right"].get<std::string>() : show(cmp["right_value"]);
      line(bar + "  " + cmp["left"].get<std::string>() + " = " + show(cmp["left_value"]) + "  " +
           cmp["op"].get<std::string>() + " " + right + "  -> " + cmp["result"].get<std::string>());
    }
  }
  if (j["license_required"] == false && reasons.empty())
    line("  └─ no license requirement is in force on this date");
  line("  rules as of " +
       (j["rules_as_of"].is_null() ? std::string("?") : j["rules_as_of"].get<std::string>()) +
       "; evidence: P primary, PQ primary quoted, S secondary, D derived, U unconfirmed");
  return out;
}

namespace {
std::string fixed(double x, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << x;
  return s.str();
}
}  // namespace

std::string watch_text(const json& r) {
  std::ostringstream out;
  if (r.contains("watch"))
    for (const auto& w : r["watch"])
      out << "\n  watch: " << w["status"].get<std::string>() << "  " << w["name"].get<std::string>() << " ("
          << fixed(w["score"].get<double>(), 3) << ", matched \"" << w["matched_name"].get<std::string>()
          << "\")\n         " << w["remarks"].get<std::string>()
          << "\n         source: " << w["source_url"].get<std::string>()
          << "\n         information only: " << w["information_only"].get<std::string>() << "\n";
  return out.str();
}

std::string screen_text(const json& r) {
  std::ostringstream out;
  const auto& matches = r["matches"];
  out << "\"" << r["query"].get<std::string>()
      << "\": " << (matches.empty() ? "no" : std::to_string(matches.size())) << " match"
      << (matches.size() == 1 ? "" : "es") << " at or above " << fixed(r["threshold"].get<double>(), 2)
      << " (lists " << r["list_version"].get<std::string>() << ")\n";
  for (const auto& m : matches) {
    const json& e = m["entry"];
    const std::string code = e["source_code"].get<std::string>();
    out << "\n  " << fixed(m["score"].get<double>(), 3) << "  " << e["name"].get<std::string>() << "  ["
        << (code.empty() ? e["source"].get<std::string>() : code) << " " << e["id"].get<std::string>()
        << "]\n";
    out << "         matched \"" << m["matched_name"].get<std::string>() << "\"\n";
    if (m.contains("name_source")) {
      const json& src = m["name_source"];
      out << "         Chinese name from " << src["source_kind"].get<std::string>() << ": "
          << src["source_title"].get<std::string>() << " <" << src["source_url"].get<std::string>()
          << "> (read " << src["read_on"].get<std::string>() << ")\n";
      if (src.contains("unconfirmed"))
        out << "         UNCONFIRMED: " << src["unconfirmed"].get<std::string>() << "\n";
    }
    for (const auto& a : m["alignment"]) {
      const std::string query = a["query"], listed = a["listed"], how = a["how"], kind = a["kind"];
      out << "         ";
      if (how == "unmatched")
        out << (query.empty() ? "  (list) " + listed : query + "  (query)") << "  unmatched " << kind;
      else
        out << query << "  =  " << listed << "   " << how << " " << kind << " " << fixed(a["similarity"], 2);
      out << "\n";
    }
    for (const auto& n : m["notes"]) out << "         note: " << n.get<std::string>() << "\n";
    for (const char* field : {"federal_register_notice", "license_requirement", "license_policy"}) {
      const std::string value = e[field];
      if (value.empty()) continue;
      const std::string label = std::string(field) == "federal_register_notice" ? "Federal Register"
                                : std::string(field) == "license_requirement"   ? "license requirement"
                                                                                : "license policy";
      out << "         " << label << ": " << value << "\n";
    }
  }
  out << watch_text(r);
  if (r.contains("suppressed_by_adjudication"))
    for (const auto& s : r["suppressed_by_adjudication"])
      out << "\n  (" << s["entry"].get<std::string>()
          << " suppressed by an adjudication for this exact name: " << s["decided_by"].get<std::string>()
          << ", " << s["date"].get<std::string>() << ", " << s["reason"].get<std::string>() << ")\n";
  return out.str();
}

std::string hypothetical_banner(const nlohmann::json& answer) {
  if (!answer.contains("hypothetical")) return {};
  std::string ids;
  for (const auto& id : answer["hypothetical"]["scenarios"])
    ids += (ids.empty() ? "" : ", ") + id.get<std::string>();
  return "HYPOTHETICAL: answered with what-if scenario rules that are not in force (" + ids + ")\n";
}

}  // namespace exportctl::cli
