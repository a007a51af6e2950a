#pragma once
// Shared state of one CLI invocation: where rules and data live, loaded once
// on first use. Commands write their whole answer to `out` only after it is
// complete, so an error never leaves half an answer on stdout.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "classify/classify.h"
#include "license/license.h"
#include "core/date.h"
#include "rules/rules.h"

namespace exportctl::cli {

struct GlobalOptions {
  std::string rules_dir;    // empty = default_rules_dir()
  std::string catalog_dir;  // empty = default_catalog_dir()
  std::string data_dir;     // user state (lists, audit log)
  std::string tf32;         // TF32 bit-length reading
};

class App {
 public:
  explicit App(GlobalOptions options) : options_(std::move(options)) {}

  const rules::RuleSet& rules();
  const catalog::Catalog& catalog();
  const classify::Classifier& classifier();
  // Party lookup for license checks (see party_screen in app.cpp).
  const license::PartyScreen& parties();
  const license::Engine& license_engine();
  const GlobalOptions& options() const { return options_; }

  // Parses a --date value and checks it lies in the period the rule data covers.
  Date parse_date(const std::string& text, const std::string& flag = "--date");
  // Looks up a catalog chip or throws InputError with suggestions.
  const catalog::Chip& chip(const std::string& id);
  // The item named by --chip ID or --spec FILE (exactly one is non-empty),
  // and how to name it in an error message.
  std::pair<classify::ItemSpec, std::string> item(const std::string& chip_id, const std::string& spec_file);

 private:
  GlobalOptions options_;
  std::unique_ptr<rules::RuleSet> rules_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<classify::Classifier> classifier_;
  std::unique_ptr<license::PartyScreen> parties_;
  std::unique_ptr<license::Engine> engine_;
};

// Field of a spec file that provides a condition input ("pd" -> "logic_dies").
std::string spec_field_for_input(const std::string& input);
// Throws the InputError for an answer the rules cannot give without `missing` inputs.
[[noreturn]] void throw_undetermined(const std::string& where, const std::string& what,
                                     const std::vector<std::string>& missing);

}  // namespace exportctl::cli
