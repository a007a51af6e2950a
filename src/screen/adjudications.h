#pragma once
// Accepted false positives: a customer name against a list entry, valid only
// while the entry is unchanged.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "screen/lists.h"

namespace exportctl::screen {

// An accepted false positive: this customer name against this entry, as the
// entry stood (fingerprint) when it was decided.
struct Adjudication {
  std::string customer;
  std::string entry;  // Entry::key()
  std::string entry_fingerprint;
  std::string decided_by;
  std::string date;
  std::string reason;
};
// CSV with header customer,entry,entry_fingerprint,decided_by,date,reason.
std::vector<Adjudication> load_adjudications(const std::filesystem::path& file);
// The adjudication that covers exactly this pair in the entry's current
// state, or null (a changed entry needs a new decision).
const Adjudication* adjudication_for(const std::vector<Adjudication>& adjudications,
                                     std::string_view customer, const Entry& entry);
// True when an adjudication covers exactly this pair in its current state.
bool suppressed(const std::vector<Adjudication>& adjudications, std::string_view customer,
                const Entry& entry);

}  // namespace exportctl::screen
