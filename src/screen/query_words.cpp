// The query side of normalisation (issue 12): a query word neither the
// vocabulary nor the index knows, that misspells a vocabulary word or runs
// into or splits one, is read as that word before phrases are matched.
// Listed names are never read this way: the lists are what they print.

#include <algorithm>
#include <unordered_map>

#include "screen/normalize.h"
#include "screen/similarity.h"
#include "screen/text.h"

namespace exportctl::screen {

using text::is_alpha;
using text::is_ascii;
using text::kPhraseSep;

void Normalizer::index_vocabulary_words() {
  for (const auto& [joined, phrase] : phrases_) {
    const std::string first = joined.substr(0, joined.find(kPhraseSep));
    if (first.size() >= 3 && is_ascii(first) && is_alpha(first[0])) phrase_starts_.insert(first);
    if (const auto second = joined.find(kPhraseSep, first.size() + 1); joined.size() > first.size())
      phrase_pairs_.insert(joined.substr(0, second));
  }
  std::unordered_map<std::string, std::uint32_t> ids;
  for (const auto& [joined, phrase] : phrases_) {
    if (!text::vocabulary_kind(phrase.kind)) continue;
    std::size_t start = 0;
    while (start <= joined.size()) {
      std::size_t end = joined.find(kPhraseSep, start);
      if (end == std::string::npos) end = joined.size();
      const std::string word = joined.substr(start, end - start);
      start = end + 1;
      if (word.size() < 5 || !is_ascii(word) || ids.count(word)) continue;
      const auto id = static_cast<std::uint32_t>(vocabulary_words_.size());
      ids.emplace(word, id);
      vocabulary_words_.push_back(word);
      vocabulary_deletes_[word].push_back(id);
      for (std::size_t k = 0; k < word.size(); ++k) {
        std::string shorter = word;
        shorter.erase(k, 1);
        auto& slot = vocabulary_deletes_[shorter];
        if (slot.empty() || slot.back() != id) slot.push_back(id);
      }
    }
  }
}

const Normalizer::WordFacts& Normalizer::word_facts(const std::string& word) const {
  // What the vocabulary says of a query word does not depend on the index:
  // worked out once per word and thread (batches repeat words), bounded.
  struct Cache {
    const Normalizer* owner = nullptr;
    std::unordered_map<std::string, WordFacts> facts;
  };
  thread_local Cache cache;
  if (cache.owner != this || cache.facts.size() > 200000) {
    cache.facts.clear();
    cache.owner = this;
  }
  if (const auto it = cache.facts.find(word); it != cache.facts.end()) return it->second;
  WordFacts f;
  f.vocabulary = phrases_.count(word) > 0;
  f.vocabulary_part = phrase_starts_.count(word) > 0 || is_vocabulary_part(word);
  if (!f.vocabulary && word.size() >= 4 && is_ascii(word)) {
    if (auto fixed = vocabulary_correction(word)) f.correction = *fixed;
    if (f.correction.empty() && word.size() >= 7 && word.size() <= 255)
      for (std::size_t cut = 3; cut + 4 <= word.size(); ++cut)
        if (phrase_starts_.count(word.substr(cut))) f.cuts.push_back(static_cast<std::uint8_t>(cut));
  }
  return cache.facts.emplace(word, std::move(f)).first->second;
}

bool Normalizer::is_vocabulary_part(const std::string& word) const {
  const auto it = vocabulary_deletes_.find(word);
  if (it == vocabulary_deletes_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](std::uint32_t id) { return vocabulary_words_[id] == word; });
}

bool Normalizer::is_vocabulary_word(std::string_view word) const {
  const auto it = phrases_.find(std::string(word));
  return it != phrases_.end() && text::vocabulary_kind(it->second.kind);
}

std::optional<std::string> Normalizer::vocabulary_correction(std::string_view word) const {
  if (word.size() < 4 || !is_ascii(word)) return std::nullopt;
  std::string probe(word);
  if (const auto it = vocabulary_deletes_.find(probe); it != vocabulary_deletes_.end())
    for (const auto id : it->second)
      if (vocabulary_words_[id] == word) return std::nullopt;  // a vocabulary word itself
  // The closest vocabulary word over the one-deletion neighbourhoods of both.
  const std::string* best = nullptr;
  double best_similarity = 0;
  const auto consider = [&](const std::string& key) {
    const auto it = vocabulary_deletes_.find(key);
    if (it == vocabulary_deletes_.end()) return;
    for (const auto id : it->second) {
      const std::string& listed = vocabulary_words_[id];
      if (listed[0] != word[0]) continue;
      if (const double sim = token_similarity(word, listed); sim > best_similarity) {
        best_similarity = sim;
        best = &listed;
      }
    }
  };
  consider(probe);
  for (std::size_t k = 0; k < word.size(); ++k) {
    probe.assign(word);
    probe.erase(k, 1);
    consider(probe);
  }
  if (!best) return std::nullopt;
  return *best;
}

void Normalizer::read_query_words(std::vector<Raw>& raws, std::vector<std::string>& written,
                                  const KnownWord& known_word) const {
  // A misspelt vocabulary word keeps what was written in `written`, so its
  // token carries `typo_of` and the aligner charges it ("Integrated Circut",
  // "Aerospace Scince and Industry").
  for (std::size_t i = 0; i < raws.size(); ++i) {
    // A vocabulary word split in two ("Liab ility", "Integ rated"): joined
    // back, the join marked so the aligner charges it.
    if (i + 1 < raws.size() && !raws[i].han && !raws[i + 1].han && is_alpha(raws[i].text[0]) &&
        is_alpha(raws[i + 1].text[0]) && raws[i].text.size() + raws[i + 1].text.size() >= 6) {
      // (copies: a later lookup may clear the cache)
      const bool a_vocabulary = word_facts(raws[i].text).vocabulary;
      const bool b_vocabulary = word_facts(raws[i + 1].text).vocabulary;
      if (!a_vocabulary && !b_vocabulary) {
        const std::string both = raws[i].text + raws[i + 1].text;
        if (word_facts(both).vocabulary_part && !known_word(raws[i].text) && !known_word(raws[i + 1].text)) {
          written[i] = raws[i].text + " " + raws[i + 1].text;
          raws[i].text = both;
          raws.erase(raws.begin() + static_cast<long>(i) + 1);
          written.erase(written.begin() + static_cast<long>(i) + 1);
          continue;
        }
      }
    }
    Raw& r = raws[i];
    if (r.han || r.text.size() < 4 || !is_alpha(r.text[0])) continue;
    const WordFacts facts = word_facts(r.text);
    if (facts.vocabulary || (facts.correction.empty() && facts.cuts.empty()) || known_word(r.text)) continue;
    if (!facts.correction.empty()) {
      written[i] = r.text;
      r.text = facts.correction;
      continue;
    }
    // Two words run together where one begins a vocabulary form
    // ("HaiguangIntegrated Circuit", "PublicJoint Stock Company"): split,
    // the vocabulary half marked so the aligner charges the join.
    // Only a name the index knows followed by a vocabulary word, or two
    // words that begin one vocabulary form together: two vocabulary words
    // alone ("city" + "group") are more often a misspelt name (Citygroup).
    for (const auto cut : facts.cuts) {
      const std::string tail = r.text.substr(cut), head = r.text.substr(0, cut);
      const bool head_word = phrase_starts_.count(head) > 0;
      // (a name of five letters or more: "city" + "group" reads Citygroup as
      // two words where it is a misspelt Citigroup)
      const bool name_then_word = !head_word && head.size() >= 5 && known_word(head);
      const bool one_form = head_word && phrase_pairs_.count(head + kPhraseSep + tail) > 0;
      if (!name_then_word && !one_form) continue;
      r.text = head;
      if (head_word) written[i] = head;
      raws.insert(raws.begin() + static_cast<long>(i) + 1, Raw{tail, false});
      written.insert(written.begin() + static_cast<long>(i) + 1, tail);
      ++i;
      break;
    }
  }
}

}  // namespace exportctl::screen
