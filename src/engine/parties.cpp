#include "engine/parties.h"

#include <mutex>

#include "screen/screen.h"

namespace exportctl::engine {

std::vector<license::PartyHit> ScreeningParties::find(std::string_view name, std::string_view country) const {
  std::string key(country);
  key += '\x1f';
  key += name;
  {
    std::shared_lock lock(cache_mutex_);
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  auto hits = screen_name(name, country);
  std::unique_lock lock(cache_mutex_);
  if (cache_.size() >= 65536) cache_.clear();
  cache_.emplace(std::move(key), hits);
  return hits;
}

std::vector<license::PartyHit> ScreeningParties::screen_name(std::string_view name,
                                                             std::string_view country) const {
  std::vector<license::PartyHit> hits;
  for (const auto& m : screen::entity_list_matches(screener_(), name, country)) {
    license::PartyHit h;
    h.query = std::string(name);
    h.matched_name = m.matched_name;
    h.score = m.score;
    const screen::Entry& e = *m.entry;
    h.source = e.source;
    h.id = e.id;
    h.key = e.key();
    h.name = e.name;
    h.federal_register_notice = e.federal_register_notice;
    h.start_date = e.start_date;
    h.license_requirement = e.license_requirement;
    h.license_policy = e.license_policy;
    h.entity_list = true;
    if (const screen::SourcedName* n = m.name_source)
      h.name_source = "Chinese name from " + n->source_kind + ": " + n->source_title + " <" + n->source_url +
                      "> (read " + n->read_on + ")" +
                      (n->unconfirmed.empty() ? "" : "; UNCONFIRMED: " + n->unconfirmed);
    if (const auto* a = screen::adjudication_for(adjudications_, name, e))
      h.adjudication =
          "accepted as a false positive by " + a->decided_by + " on " + a->date + ": " + a->reason;
    for (const auto& a : m.detail.alignment) {
      if (!h.alignment.empty()) h.alignment += "; ";
      h.alignment += (a.query.empty() ? "-" : a.query) + " = " + (a.listed.empty() ? "-" : a.listed) + " (" +
                     a.how + ")";
    }
    hits.push_back(std::move(h));
  }
  return hits;
}

std::string ScreeningParties::description() const {
  return "fuzzy screening against list snapshot " + screener_().snapshot().version;
}

}  // namespace exportctl::engine
