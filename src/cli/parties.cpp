#include "cli/parties.h"

#include "screen/screen.h"

namespace exportctl::cli {

std::vector<license::PartyHit> ScreeningPartyScreen::find(std::string_view name) const {
  screen::validate_query(name, "--party");
  const std::string key(name);
  {
    std::shared_lock lock(cache_mutex_);
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  auto hits = screen_name(name);
  std::unique_lock lock(cache_mutex_);
  if (cache_.size() >= 65536) cache_.clear();
  cache_.emplace(key, hits);
  return hits;
}

std::vector<license::PartyHit> ScreeningPartyScreen::screen_name(std::string_view name) const {
  std::vector<license::PartyHit> hits;
  for (const auto& m : screen::entity_list_matches(screener(), name)) {
    license::PartyHit h;
    h.query = std::string(name);
    h.matched_name = m.matched_name;
    h.score = m.score;
    const screen::Entry& e = *m.entry;
    h.source = e.source;
    h.id = e.id;
    h.name = e.name;
    h.federal_register_notice = e.federal_register_notice;
    h.start_date = e.start_date;
    h.license_requirement = e.license_requirement;
    h.license_policy = e.license_policy;
    h.entity_list = true;
    for (const auto& a : m.detail.alignment) {
      if (!h.alignment.empty()) h.alignment += "; ";
      h.alignment += (a.query.empty() ? "-" : a.query) + " = " + (a.listed.empty() ? "-" : a.listed) + " (" +
                     a.how + ")";
    }
    hits.push_back(std::move(h));
  }
  return hits;
}

std::string ScreeningPartyScreen::description() const {
  return "fuzzy screening against list snapshot " + screener().snapshot().version;
}

const screen::Screener& ScreeningPartyScreen::screener() const {
  std::call_once(once_, [this] { screener_ = screen::make_screener(data_dir_); });
  return *screener_;
}

}  // namespace exportctl::cli
