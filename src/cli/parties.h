#pragma once
// Party lookup for license checks through fuzzy screening: Entity List
// matches at the default threshold, from the current list snapshot under a
// data folder, else the bundled lists. The CLI is where the license and
// screening components meet (neither depends on the other).

#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include "license/license.h"

namespace exportctl::screen {
class Screener;
}

namespace exportctl::cli {

class ScreeningPartyScreen : public license::PartyScreen {
 public:
  explicit ScreeningPartyScreen(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}
  std::vector<license::PartyHit> find(std::string_view name) const override;
  std::string description() const override;

 private:
  // Built on first use: most checks name no party, and the index takes a
  // noticeable fraction of a second to build. call_once makes it safe for
  // batch workers.
  const screen::Screener& screener() const;
  std::vector<license::PartyHit> screen_name(std::string_view name) const;
  std::filesystem::path data_dir_;
  // Batches repeat customer names: answers are cached by name (bounded).
  mutable std::shared_mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<license::PartyHit>> cache_;
  mutable std::once_flag once_;
  mutable std::shared_ptr<const screen::Screener> screener_;
};

}  // namespace exportctl::cli
