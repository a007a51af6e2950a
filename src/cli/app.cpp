#include "cli/app.h"

#include <map>

namespace exportctl::cli {

std::shared_ptr<const engine::Snapshot> App::snapshot(engine::Config::Screening screening) {
  const bool wanted = screening != engine::Config::Screening::Off;
  if (!snapshot_ || (wanted && !snapshot_->screening())) {
    engine::Config config = config_;
    config.screening = screening;
    snapshot_ = engine::Snapshot::load(config);
  }
  return snapshot_;
}

engine::Item App::item(const std::string& chip, const std::string& spec_file) {
  engine::Item item;
  item.chip = chip;
  if (!spec_file.empty()) item.spec = engine::load_spec(*snapshot(false), spec_file);
  return item;
}

std::string flag_for_field(const std::string& field) {
  static const std::map<std::string, std::string> flags = {
      {"chip", "--chip"},
      {"spec", "--spec"},
      {"to", "--to"},
      {"hq", "--hq"},
      {"export_from", "--export-from"},
      {"end_use", "--end-use"},
      {"date", "--date"},
      {"before", "--before"},
      {"after", "--after"},
      {"name", "NAME"},
      {"country", "--country"},
      {"threshold", "--threshold"},
      {"limit", "--limit"},
      {"format", "--format"},
      {"tf32", "--tf32"},
      {"url", "--url"},
      {"files", "FILE"},
      {"item", "--chip"},
      {"name_column", "--name-column"},
      {"country_column", "--country-column"},
  };
  if (field.rfind("parties[", 0) == 0) return "--party";
  if (field.rfind("owners", 0) == 0) return "--owner";
  const auto it = flags.find(field);
  return it == flags.end() ? field : it->second;
}

}  // namespace exportctl::cli
