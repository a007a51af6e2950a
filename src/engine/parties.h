#pragma once
// Internal to the engine: the license engine's party lookup through the
// screening component (neither component depends on the other; the engine
// is where they meet). Entity List matches at the default threshold, with the
// destination as country evidence and adjudications honoured, exactly as
// `screen` answers for the same name and country.

#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "license/license.h"

namespace exportctl::screen {
class Screener;
struct Adjudication;
}  // namespace exportctl::screen

namespace exportctl::engine {

class ScreeningParties : public license::PartyScreen {
 public:
  // `screener` gives the screener (built on first use when the snapshot says so).
  ScreeningParties(std::function<const screen::Screener&()> screener,
                   const std::vector<screen::Adjudication>& adjudications)
      : screener_(std::move(screener)), adjudications_(adjudications) {}
  std::vector<license::PartyHit> find(std::string_view name, std::string_view country) const override;
  std::string description() const override;

 private:
  std::vector<license::PartyHit> screen_name(std::string_view name, std::string_view country) const;
  std::function<const screen::Screener&()> screener_;
  const std::vector<screen::Adjudication>& adjudications_;
  // Batches repeat customer names: answers are cached by name and country (bounded).
  mutable std::shared_mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<license::PartyHit>> cache_;
};

}  // namespace exportctl::engine
