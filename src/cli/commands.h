#pragma once
// One function per command. Each returns the process exit status and writes
// its complete answer to `out`; InputError escapes to main (exit status 2).

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "cli/app.h"

namespace exportctl::cli {

int rules_list(App& app, const std::string& date, bool json, std::ostream& out);
// Checks a rules folder, and scenario files against it.
int rules_validate(const std::string& dir, const std::vector<std::string>& scenarios, bool json,
                   std::ostream& out);

int chips_list(App& app, bool json, std::ostream& out);
int chips_show(App& app, const std::string& id, bool json, std::ostream& out);

struct ClassifyOptions {
  std::string chip;
  std::string spec;
  bool all = false;
  std::string date;
  bool timeline = false;
  bool json = false;
  std::string format;  // table | csv | json (for --all)
};
int classify(App& app, const ClassifyOptions& options, std::ostream& out);

struct CheckOptions {
  std::string chip;
  std::string spec;
  std::string to;
  std::string date;
  std::string hq;
  std::vector<std::string> parties;
  std::vector<std::string> owners;  // NAME=PERCENT
  std::string end_use = "none";
  std::string export_from = "US";
  bool json = false;
  bool timeline = false;
  bool apply_ai_diffusion = false;
  // batch
  std::string file;
  std::string out;
  unsigned threads = 0;  // 0 = all cores
  int progress = -1;     // -1 = when stderr is a terminal, 0 = never, 1 = always
  std::string audit;     // record each decision in this log (sqlite:PATH | postgresql://...)
};
int check(App& app, const CheckOptions& options, std::ostream& out);

struct ImpactOptions {
  std::string orders;
  std::string before;
  std::string after;
  std::vector<std::string> scenarios;
  std::string out;
  bool strict = false;
  bool json = false;
  unsigned threads = 0;
  int progress = -1;
};
int impact(App& app, const ImpactOptions& options, std::ostream& out);

struct ScreenCommandOptions {
  std::string name;
  bool name_given = false;  // NAME was on the command line (possibly empty)
  std::string country;
  double threshold = -1;  // < 0: the default threshold
  bool json = false;
  std::string file;
  std::string name_column = "name";
  std::string country_column;  // optional column with ISO country codes
  std::string out;
  std::string format = "csv";      // csv | jsonl
  std::vector<std::string> delta;  // OLD NEW
  std::size_t limit = 20;
  unsigned threads = 0;  // 0: all cores
  int progress = -1;     // as for check
};
int screen(App& app, const ScreenCommandOptions& options, std::ostream& out);

int lists_import(App& app, const std::vector<std::string>& files, std::ostream& out);
int lists_fetch(App& app, const std::string& url, const std::string& sha256, std::ostream& out);
int lists_diff(App& app, const std::string& before, const std::string& after, bool json, std::ostream& out);
int lists_status(App& app, bool json, std::ostream& out);

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string audit;
  bool no_auth = false;
  std::string keys;
  unsigned threads = 0;
  std::size_t max_body = 1 << 20;
  std::string ready_file;
};
int serve(App& app, const ServeOptions& options, std::ostream& out);
int keys_add(App& app, const std::string& name, const std::string& keys_file, std::ostream& out);
int audit_verify(const std::string& spec, const std::string& expect_head, bool json, std::ostream& out);
int audit_export(const std::string& spec, const std::string& from, const std::string& to,
                 const std::string& file, std::ostream& out);
// "cli:<user>": the caller recorded for decisions made on the command line.
std::string cli_caller();

// Shared by the batch commands: whether to draw the progress bar.
bool show_progress(int setting);

}  // namespace exportctl::cli
