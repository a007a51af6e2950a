// exportctl lists: import, fetch, diff and status of list snapshots.

#include <sstream>

#include "cli/commands.h"
#include "core/json.h"

namespace exportctl::cli {

using nlohmann::json;

namespace {

std::string summary(const json& snap) {
  std::ostringstream s;
  const auto& files = snap["files"];
  s << snap["version"].get<std::string>() << ": " << snap["entries"].get<std::size_t>() << " entries from "
    << files.size() << " file" << (files.size() == 1 ? "" : "s") << "\n";
  for (const auto& f : files)
    s << "  " << f["file"].get<std::string>() << "  " << f["format"].get<std::string>() << "  "
      << f["rows"].get<std::size_t>() << " rows  sha256 " << f["sha256"].get<std::string>() << "\n";
  return s.str();
}

}  // namespace

int lists_import(App& app, const std::vector<std::string>& files, std::ostream& out) {
  const json snap = engine::lists_import(app.config(), files);
  out << "imported " << summary(snap) << "now current in " << snap["store"].get<std::string>() << "\n";
  return kExitOk;
}

int lists_fetch(App& app, const std::string& url, const std::string& sha256, std::ostream& out) {
  const json snap = engine::lists_fetch(app.config(), url, sha256);
  out << "fetched " << snap["url"].get<std::string>() << " (" << snap["bytes"].get<std::size_t>()
      << " bytes, sha256 " << snap["sha256"].get<std::string>() << ")\n"
      << "imported " << summary(snap);
  return kExitOk;
}

int lists_diff(App& app, const std::string& before, const std::string& after, bool as_json,
               std::ostream& out) {
  const json diff = engine::lists_diff(app.config(), before, after);
  std::ostringstream s;
  if (as_json) {
    s << dump_json(diff, 2) << "\n";
  } else {
    for (const auto& e : diff["added"])
      s << "+ " << e["entry"].get<std::string>() << "  " << e["name"].get<std::string>() << "\n";
    for (const auto& e : diff["removed"])
      s << "- " << e["entry"].get<std::string>() << "  " << e["name"].get<std::string>() << "\n";
    for (const auto& e : diff["changed"]) {
      std::string fields;
      for (const auto& f : e["fields"]) fields += (fields.empty() ? "" : ", ") + f.get<std::string>();
      s << "~ " << e["entry"].get<std::string>() << "  " << e["name"].get<std::string>() << "  (" << fields
        << ")\n";
    }
    s << diff["before"].get<std::string>() << " -> " << diff["after"].get<std::string>() << ": "
      << diff["added"].size() << " added, " << diff["removed"].size() << " removed, "
      << diff["changed"].size() << " changed\n";
  }
  out << s.str();
  return kExitOk;
}

int lists_status(App& app, bool as_json, std::ostream& out) {
  const json status = engine::lists_status(app.config());
  if (as_json) {
    out << dump_json(status, 2) << "\n";
    return kExitOk;
  }
  const bool bundled = status["bundled"].get<bool>();
  std::ostringstream s;
  s << (bundled ? "no snapshot imported; using the bundled lists " : "current snapshot ") << summary(status);
  if (bundled)
    s << "The bundled lists are small extracts (see data/lists/SOURCES.md for their age);\n"
         "fetch the current Consolidated Screening List with: exportctl lists fetch\n";
  out << s.str();
  return kExitOk;
}

}  // namespace exportctl::cli
