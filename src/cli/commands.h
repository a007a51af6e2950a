#pragma once
// One function per command. Each returns the process exit status and writes
// its complete answer to `out`; InputError escapes to main (exit status 2).

#include <ostream>
#include <string>

#include "cli/app.h"

namespace exportctl::cli {

int rules_list(App& app, const std::string& date, bool json, std::ostream& out);
int rules_validate(const std::string& dir, bool json, std::ostream& out);

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

}  // namespace exportctl::cli
