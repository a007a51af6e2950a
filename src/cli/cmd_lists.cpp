// exportctl lists: import, fetch, diff and status of list snapshots.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"
#include "screen/screen.h"

namespace exportctl::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

screen::SnapshotStore store_of(const App& app) {
  return screen::SnapshotStore(app.options().data_dir.empty() ? screen::SnapshotStore::default_dir()
                                                              : fs::path(app.options().data_dir));
}

std::string summary(const screen::ListSnapshot& snap) {
  std::ostringstream s;
  s << snap.version << ": " << snap.entries.size() << " entries from " << snap.files.size() << " file"
    << (snap.files.size() == 1 ? "" : "s") << "\n";
  for (const auto& f : snap.files)
    s << "  " << f.file << "  " << f.format << "  " << f.rows << " rows  sha256 " << f.sha256 << "\n";
  return s.str();
}

}  // namespace

int lists_import(App& app, const std::vector<std::string>& files, std::ostream& out) {
  std::vector<fs::path> paths(files.begin(), files.end());
  auto store = store_of(app);
  const auto snap = store.import_files(paths);
  out << "imported " << summary(snap) << "now current in " << (store.dir() / "lists").string() << "\n";
  return 0;
}

int lists_fetch(App& app, const std::string& url, const std::string& sha256, std::ostream& out) {
  const std::string source = url.empty() ? screen::kDefaultCslUrl : url;
  const std::string body = screen::http_get(source);
  std::string file = source.substr(source.find_last_of('/') + 1);
  if (const auto q = file.find('?'); q != std::string::npos) file = file.substr(0, q);
  if (file.empty() || file.find('.') == std::string::npos) file = "consolidated.csv";
  auto store = store_of(app);
  const auto snap = store.import_bytes(body, file, sha256);
  out << "fetched " << source << " (" << body.size() << " bytes, sha256 " << screen::sha256_hex(body) << ")\n"
      << "imported " << summary(snap);
  return 0;
}

int lists_diff(App& app, const std::string& before_name, const std::string& after_name, bool as_json,
               std::ostream& out) {
  auto store = store_of(app);
  const auto before = store.load(before_name);
  const auto after = store.load(after_name);
  const auto changes = screen::diff_snapshots(before, after);
  std::ostringstream s;
  if (as_json) {
    json added = json::array(), removed = json::array(), changed = json::array();
    for (const auto& c : changes) {
      if (!c.before)
        added.push_back({{"entry", c.after->key()}, {"name", c.after->name}});
      else if (!c.after)
        removed.push_back({{"entry", c.before->key()}, {"name", c.before->name}});
      else
        changed.push_back({{"entry", c.after->key()}, {"name", c.after->name}, {"fields", c.fields}});
    }
    s << json{{"before", before.version},
              {"after", after.version},
              {"added", added},
              {"removed", removed},
              {"changed", changed}}
             .dump(2)
      << "\n";
  } else {
    std::size_t a = 0, r = 0, m = 0;
    for (const auto& c : changes) {
      if (!c.before) {
        ++a;
        s << "+ " << c.after->key() << "  " << c.after->name << "\n";
      } else if (!c.after) {
        ++r;
        s << "- " << c.before->key() << "  " << c.before->name << "\n";
      } else {
        ++m;
        std::string fields;
        for (const auto& f : c.fields) fields += (fields.empty() ? "" : ", ") + f;
        s << "~ " << c.after->key() << "  " << c.after->name << "  (" << fields << ")\n";
      }
    }
    s << before.version << " -> " << after.version << ": " << a << " added, " << r << " removed, " << m
      << " changed\n";
  }
  out << s.str();
  return 0;
}

int lists_status(App& app, bool as_json, std::ostream& out) {
  auto store = store_of(app);
  const auto current = store.current();
  const auto snap = store.current_or_bundled();
  if (as_json) {
    json files = json::array();
    for (const auto& f : snap->files)
      files.push_back({{"file", f.file}, {"format", f.format}, {"rows", f.rows}, {"sha256", f.sha256}});
    out << json{{"version", snap->version},
                {"bundled", !current.has_value()},
                {"entries", snap->entries.size()},
                {"files", files},
                {"stored_versions", store.versions()}}
               .dump(2)
        << "\n";
    return 0;
  }
  std::ostringstream s;
  s << (current ? "current snapshot " : "no snapshot imported; using the bundled lists ") << summary(*snap);
  if (!current)
    s << "The bundled lists are small extracts (see data/lists/SOURCES.md for their age);\n"
         "fetch the current Consolidated Screening List with: exportctl lists fetch\n";
  out << s.str();
  return 0;
}

}  // namespace exportctl::cli
