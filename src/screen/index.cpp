// Candidate retrieval and alignment scoring.
//
// Retrieval: an inverted index from token keys to listed names, plus a
// character-trigram index over the distinct name tokens so a misspelt token
// still finds its listed form, plus split and joined tokens (Hik Vision /
// Hikvision, zhipuhuazhang / Zhipu Huazhang). Candidates are ranked by the
// rarity-weighted sum of the query tokens they share, and only the best few
// are aligned and scored.
//
// Scoring (align, in aligner.cpp; weights in scoring.h): tokens are paired exactly (same key, which makes
// vocabulary synonyms equal), then by joining adjacent tokens, then fuzzily (token_similarity). The score is
// a weighted Dice coefficient over both sides' token weights, so every unmatched token, on either side, costs
// in proportion to how distinctive it is. Rules on top: numbers must agree; a pair that shares no distinctive
// token (only places, descriptors, legal forms) is halved; reordering costs a little. A small share of
// whole-string Jaro-Winkler keeps scores of equal token sets apart, so scores do not pile up at 1.0.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include <cstdio>

#include "screen/aligner.h"
#include "screen/normalize.h"
#include "screen/screen.h"
#include "screen/similarity.h"
#include "screen/text.h"

namespace exportctl::screen {

namespace {

std::uint32_t trigram(char a, char b, char c) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(a)) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b)) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(c));
}

std::vector<std::uint32_t> trigrams(const std::string& key) {
  const std::string padded = "^" + key + "$";
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i + 2 < padded.size(); ++i)
    out.push_back(trigram(padded[i], padded[i + 1], padded[i + 2]));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Removes "(...)" parts; returns the name without them and the parts.
std::pair<std::string, std::vector<std::string>> split_parentheses(const std::string& name) {
  std::string outside;
  std::vector<std::string> inside;
  int depth = 0;
  std::string current;
  for (char c : name) {
    if (c == '(' || c == '[') {
      if (depth++ == 0) current.clear();
      continue;
    }
    if ((c == ')' || c == ']') && depth > 0) {
      if (--depth == 0) inside.push_back(current);
      continue;
    }
    (depth > 0 ? current : outside).push_back(c);
  }
  return {outside, inside};
}

}  // namespace

// ---------------------------------------------------------------- index

struct Screener::Index {
  struct Name {
    std::uint32_t entry;
    std::string text;
    const SourcedName* sourced;  // set for a name from the bilingual table
    NormalizedName norm;
    std::vector<double> weights;
    double total_weight = 0;               // list-side weight of all tokens, for the score bound
    std::vector<std::uint32_t> token_ids;  // distinct token ids, sorted
  };
  std::vector<Name> names;
  std::unordered_map<std::string, std::uint32_t> dict;  // token key -> token id
  std::vector<std::string> token_keys;
  std::vector<std::uint32_t> token_length;  // token_keys[i].size(), compact for the fuzzy filter
  std::vector<std::uint32_t> df;
  std::vector<std::vector<std::uint32_t>> postings;                     // token id -> name ids
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> grams;  // trigram -> name-token ids
  double log_n = 1;
  Normalizer::KnownWord known_word() const;
  ScoringWeights scoring;

  double rarity(const std::string& key) const {
    const auto it = dict.find(key);
    const double d = it == dict.end() ? 0.0 : static_cast<double>(df[it->second]);
    const double idf = std::log((static_cast<double>(names.size()) + 1.0) / (d + 1.0)) / log_n;
    return scoring.rarity_floor + (1.0 - scoring.rarity_floor) * std::clamp(idf, 0.0, 1.0);
  }
  std::vector<double> weights(const NormalizedName& n) const {
    std::vector<double> w;
    w.reserve(n.tokens.size());
    for (const auto& t : n.tokens) {
      // A misspelt vocabulary word weighs what the word as written would: an
      // unknown name. Matched, it costs little; unmatched, as much as before.
      if (!t.typo_of.empty())
        w.push_back(kind_weight(scoring, TokenKind::Name) * rarity(t.typo_of));
      else
        w.push_back(kind_weight(scoring, t.kind) * (t.kind == TokenKind::Name ? rarity(t.key) : 1.0));
    }
    return w;
  }
};

Screener::Screener(std::shared_ptr<const ListSnapshot> snapshot, std::shared_ptr<const Normalizer> normalizer,
                   const ScoringWeights& weights)
    : snapshot_(std::move(snapshot)),
      normalizer_(std::move(normalizer)),
      weights_(weights),
      index_(std::make_unique<Index>()) {
  Index& ix = *index_;
  ix.scoring = weights_;
  for (std::size_t e = 0; e < snapshot_->entries.size(); ++e) {
    const Entry& entry = snapshot_->entries[e];
    std::vector<std::string> texts{entry.name};
    texts.insert(texts.end(), entry.alt_names.begin(), entry.alt_names.end());
    // Acronyms and native-script forms sit in parentheses inside a name:
    // index the name without them and each of them on its own.
    const std::size_t listed = texts.size();
    for (std::size_t i = 0; i < listed; ++i) {
      auto [outside, inside] = split_parentheses(texts[i]);
      if (inside.empty()) continue;
      texts.push_back(outside);
      for (auto& part : inside) texts.push_back(part);
    }
    // Names from the bilingual table come last: where the list prints a name
    // that normalises alike, the list's own name is the one reported.
    const std::size_t from_list = texts.size();
    for (const auto& sourced : entry.sourced_names) texts.push_back(sourced.name);
    std::set<std::string> seen;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      NormalizedName norm = normalizer_->normalize(texts[i]);
      if (norm.tokens.empty()) continue;
      std::string sig;
      for (const auto& t : norm.tokens) sig += t.key + " ";
      if (!seen.insert(sig).second) continue;
      const SourcedName* sourced = i >= from_list ? &entry.sourced_names[i - from_list] : nullptr;
      ix.names.push_back({static_cast<std::uint32_t>(e), texts[i], sourced, std::move(norm), {}, 0, {}});
    }
  }
  for (std::uint32_t n = 0; n < ix.names.size(); ++n) {
    std::set<std::uint32_t> ids;
    for (const auto& t : ix.names[n].norm.tokens) {
      auto [it, inserted] = ix.dict.emplace(t.key, static_cast<std::uint32_t>(ix.token_keys.size()));
      if (inserted) {
        ix.token_keys.push_back(t.key);
        ix.token_length.push_back(static_cast<std::uint32_t>(t.key.size()));
        ix.df.push_back(0);
        ix.postings.emplace_back();
        if (t.kind == TokenKind::Name && t.key.size() >= 3)
          for (auto g : trigrams(t.key)) ix.grams[g].push_back(it->second);
      }
      ids.insert(it->second);
    }
    for (auto id : ids) {
      ++ix.df[id];
      ix.postings[id].push_back(n);
    }
    ix.names[n].token_ids.assign(ids.begin(), ids.end());
  }
  ix.log_n = std::log(static_cast<double>(ix.names.size()) + 1.0);
  if (ix.log_n <= 0) ix.log_n = 1;
  for (auto& n : ix.names) {
    n.weights = ix.weights(n.norm);
    for (double w : n.weights) n.total_weight += w * weights_.list_side;
  }
}

Screener::~Screener() = default;

std::size_t Screener::indexed_names() const {
  return index_->names.size();
}

Normalizer::KnownWord Screener::Index::known_word() const {
  return [this](std::string_view word) { return dict.find(std::string(word)) != dict.end(); };
}

PairScore Screener::score_pair(std::string_view query, std::string_view listed) const {
  const auto known = index_->known_word();
  const auto q = normalizer_->normalize(query, HanReading::Pinyin, &known);
  const auto c = normalizer_->normalize(listed);
  const auto wq = index_->weights(q), wc = index_->weights(c);
  return align(q, wq, c, wc, true, weights_);
}

std::vector<Match> Screener::screen(std::string_view name, const ScreenOptions& options) const {
  validate_query(name, "name");
  const Index& ix = *index_;
  // Han characters have more than one reading: pinyin for Chinese names,
  // Sino-Korean for North Korean names written in characters (金策 = Kim
  // Chaek). Both readings are searched and each entry keeps its best.
  const auto known = ix.known_word();
  std::vector<NormalizedName> variants{normalizer_->normalize(name, HanReading::Pinyin, &known)};
  if (normalizer_->has_korean_readings()) {
    NormalizedName korean = normalizer_->normalize(name, HanReading::Korean, &known);
    bool differs = korean.tokens.size() != variants[0].tokens.size();
    for (std::size_t i = 0; !differs && i < korean.tokens.size(); ++i)
      differs = korean.tokens[i].key != variants[0].tokens[i].key;
    if (differs) variants.push_back(std::move(korean));
  }
  struct Best {
    double score;
    std::uint32_t name;
    std::size_t variant;
  };
  std::unordered_map<std::uint32_t, Best> per_entry;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const NormalizedName& q = variants[v];
    const std::vector<double> wq = ix.weights(q);

    // Rarity-weighted candidate accumulation in per-thread scratch space.
    thread_local std::vector<float> acc;
    thread_local std::vector<std::uint32_t> touched;
    thread_local std::vector<std::uint16_t> gram_hits;
    thread_local std::vector<std::uint32_t> gram_touched;
    if (acc.size() < ix.names.size()) acc.assign(ix.names.size(), 0.0f);
    if (gram_hits.size() < ix.token_keys.size()) gram_hits.assign(ix.token_keys.size(), 0);
    touched.clear();

    const auto add_postings = [&](std::uint32_t token, double w) {
      for (auto n : ix.postings[token]) {
        if (acc[n] == 0.0f) touched.push_back(n);
        acc[n] += static_cast<float>(w);
      }
    };
    const auto lookup = [&](const std::string& key) -> std::optional<std::uint32_t> {
      const auto it = ix.dict.find(key);
      if (it == ix.dict.end()) return std::nullopt;
      return it->second;
    };

    bool has_name = false;
    for (const auto& t : q.tokens) has_name = has_name || t.kind == TokenKind::Name;
    // Weight of misspelt vocabulary words ("Circut", read as circuit): they
    // retrieve nothing, but the aligner pairs them with the word they
    // misspell, so the score bound must count them.
    double vocabulary_typos = 0;
    for (std::size_t i = 0; i < q.tokens.size(); ++i) {
      const Token& t = q.tokens[i];
      if (!t.typo_of.empty()) vocabulary_typos += wq[i];
      if (t.kind == TokenKind::LegalForm || t.kind == TokenKind::Stopword) continue;
      if (t.kind == TokenKind::Descriptor && has_name) continue;
      // Rarity ranks candidates for non-name tokens too ("aerospace" says more than "china").
      const auto exact = lookup(t.key);
      if (exact) add_postings(*exact, t.kind == TokenKind::Name ? wq[i] : wq[i] * ix.rarity(t.key));
      if (t.kind != TokenKind::Name) {
        // Pinyin that is also a vocabulary form (zhongxin: 中心, and 中芯).
        if (t.kind != TokenKind::Number && t.surface.find(' ') == std::string::npos) {
          std::string written = t.surface;
          for (char& ch : written) ch = text::ascii_lower(ch);
          if (written != t.key)
            if (const auto as_name = lookup(written)) add_postings(*as_name, wq[i]);
        }
        continue;
      }
      // Fuzzy: dictionary tokens sharing enough trigrams, verified by similarity.
      // A token found as written needs no spelling neighbours to retrieve its
      // names; the aligner still pairs it fuzzily with listed variants of names
      // retrieved through their other tokens. Only a single-word listed name
      // spelt differently from a query token that also exists is lost, and the
      // work saved is most of a query's.
      if (t.key.size() >= 4 && !exact) {
        gram_touched.clear();
        const auto grams = trigrams(t.key);
        for (auto g : grams) {
          const auto it = ix.grams.find(g);
          if (it == ix.grams.end()) continue;
          for (auto id : it->second) {
            if (gram_hits[id]++ == 0) gram_touched.push_back(id);
          }
        }
        const int budget = edit_budget(t.key.size());
        const int need = std::max(1, static_cast<int>(grams.size()) - 3 * budget);
        for (auto id : gram_touched) {
          // Cheap filters first: shared trigrams, then length from a compact
          // array, and only then the string itself (a cache miss).
          if (gram_hits[id] >= need) {
            const std::size_t len = ix.token_length[id];
            const std::size_t gap = len > t.key.size() ? len - t.key.size() : t.key.size() - len;
            if (gap <= static_cast<std::size_t>(budget)) {
              const auto& other = ix.token_keys[id];
              if (other != t.key)
                if (const double s = token_similarity(t.key, other); s > 0) add_postings(id, wq[i] * s);
            }
          }
          gram_hits[id] = 0;
        }
      }
      // Split: one query token spelling two listed tokens (zhipuhuazhang).
      if (t.key.size() >= 6)
        for (std::size_t cut = 2; cut + 2 <= t.key.size(); ++cut) {
          const auto a = lookup(t.key.substr(0, cut));
          if (!a) {
            if (!exact && cut >= 3 && normalizer_->is_vocabulary_word(t.key.substr(0, cut)))
              if (const auto b = lookup(t.key.substr(cut))) add_postings(*b, wq[i]);  // uniview: "Uni View"
            continue;
          }
          if (const auto b = lookup(t.key.substr(cut))) {
            add_postings(*a, wq[i] * weights_.split_share);
            add_postings(*b, wq[i] * weights_.split_share);
          } else if (!exact && cut >= 3 && normalizer_->is_vocabulary_word(t.key.substr(cut))) {
            // wingtech: listed "Wing Tech"; the name half carries the whole
            // token, as the aligner joins the two back into it.
            add_postings(*a, wq[i]);
          }
        }
    }
    // Join: adjacent query tokens spelling one listed token (hik vision), a
    // vocabulary word among them as written (wing tech: listed "Wingtech").
    for (std::size_t i = 0; i + 1 < q.tokens.size(); ++i) {
      std::string joined;
      double w = 0;
      bool has_name_piece = false;
      for (std::size_t j = i; j < q.tokens.size() && j < i + 4; ++j) {
        const Token& piece = q.tokens[j];
        if (alignable(piece.kind)) {
          joined += piece.key;
          has_name_piece = true;
        } else if (text::vocabulary_kind(piece.kind) &&
                   piece.surface.find_first_of(" -") == std::string::npos) {
          for (char ch : piece.surface) joined.push_back(text::ascii_lower(ch));
        } else {
          break;
        }
        w += wq[j];
        if (j > i && has_name_piece)
          if (auto id = lookup(joined)) add_postings(*id, w);
      }
    }

    // Query words retrieval did not count (descriptors beside a name, legal
    // forms, stop words): the candidate's share of them breaks ties between
    // names that share the query's name (the many "Huawei ..." affiliates)
    // and is added to the score bound.
    double query_weight = 0;
    for (double w : wq) query_weight += w;
    std::vector<std::pair<std::uint32_t, double>> uncounted;  // token id, query weight
    for (std::size_t i = 0; i < q.tokens.size(); ++i) {
      const TokenKind k = q.tokens[i].kind;
      if (q.tokens[i].typo_of.empty() &&
          (k == TokenKind::LegalForm || k == TokenKind::Stopword || (k == TokenKind::Descriptor && has_name)))
        if (const auto id = lookup(q.tokens[i].key)) uncounted.emplace_back(*id, wq[i]);
    }
    const auto shared_words = [&](std::uint32_t n) {
      double shared = 0;
      const auto& ids = ix.names[n].token_ids;
      for (const auto& [id, w] : uncounted)
        if (std::binary_search(ids.begin(), ids.end(), id)) shared += w;
      return shared;
    };

    // Best candidates by accumulated weight.
    struct Ranked {
      float weight;  // accumulated through the index
      float shared;  // uncounted query words the name has too
      std::uint32_t n;
    };
    std::vector<Ranked> ranked;
    ranked.reserve(touched.size());
    float best = 0;
    for (auto n : touched) {
      ranked.push_back({acc[n], 0.0f, n});
      best = std::max(best, acc[n]);
      acc[n] = 0.0f;
    }
    // Names made only of descriptors, places and numbers (Chinese institutes)
    // share their words with many listed names: look at more of them.
    const std::size_t kCandidates = has_name ? 64 : 384;
    const bool all_shared = ranked.size() <= kCandidates;
    if (!all_shared) {
      // The shared words are looked at only among the best by weight: they
      // break near ties, they never lift a far weaker candidate.
      const auto by_weight = [](const Ranked& a, const Ranked& b) { return a.weight > b.weight; };
      const std::size_t pool = 4 * kCandidates;
      if (pool < ranked.size()) {
        std::nth_element(ranked.begin(), ranked.begin() + static_cast<long>(pool), ranked.end(), by_weight);
        ranked.resize(pool);
      }
      if (!uncounted.empty())
        for (auto& r : ranked) r.shared = static_cast<float>(shared_words(r.n));
      std::partial_sort(
          ranked.begin(), ranked.begin() + kCandidates, ranked.end(),
          [](const Ranked& a, const Ranked& b) { return a.weight + a.shared > b.weight + b.shared; });
      ranked.resize(kCandidates);
    }

    // Score, keep the best name per entry. A candidate whose best possible
    // score (every one of its tokens matched, the query's matched weight as
    // accumulated) stays under the threshold is not aligned at all.
    for (const Ranked& r : ranked) {
      const float weight = r.weight;
      const std::uint32_t n = r.n;
      if (has_name && weight < static_cast<float>(weights_.weak_candidate) * best) continue;
      const auto& cand = ix.names[n];
      const auto bound = [&](double shared) {
        const double matched =
            std::min(query_weight, 1.1 * static_cast<double>(weight) + vocabulary_typos + shared);
        return (matched + cand.total_weight) /
               (matched + cand.total_weight + weights_.unmatched * (query_weight - matched) + 1e-9);
      };
      const double floor = options.threshold - weights_.bound_slack;
      // The shared words are counted only where the bound without them fails.
      if (bound(all_shared ? 0.0 : static_cast<double>(r.shared)) < floor &&
          (!all_shared || uncounted.empty() || bound(shared_words(n)) < floor))
        continue;
      const double s = align(q, wq, cand.norm, cand.weights, false, weights_).score;
      auto [it, inserted] = per_entry.try_emplace(cand.entry, Best{s, n, v});
      if (!inserted && s > it->second.score) it->second = Best{s, n, v};
    }
  }

  const auto country_adjusted = [&](const Entry& e, double s, std::vector<std::string>* notes) {
    if (options.country.empty() || e.countries.empty()) return s;
    std::string cc = options.country;
    for (char& ch : cc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (std::find(e.countries.begin(), e.countries.end(), cc) != e.countries.end()) {
      if (notes) notes->push_back("country " + cc + " agrees with the entry (+)");
      return s + weights_.country_agrees * (1.0 - s);
    }
    if (notes) {
      char factor[32];
      std::snprintf(factor, sizeof factor, "(x%g)", weights_.country_differs);
      notes->push_back("country " + cc + " is not among the entry's countries " + factor);
    }
    return s * weights_.country_differs;
  };

  std::vector<Match> matches;
  for (const auto& [entry_idx, best] : per_entry) {
    const Entry& e = snapshot_->entries[entry_idx];
    const double s = country_adjusted(e, best.score, nullptr);
    if (s + 1e-12 < options.threshold) continue;
    const auto& cand = ix.names[best.name];
    const NormalizedName& q = variants[best.variant];
    const std::vector<double> wq = ix.weights(q);
    Match m;
    m.entry = &e;
    m.matched_name = cand.text;
    m.name_source = cand.sourced;
    m.detail = align(q, wq, cand.norm, cand.weights, true, weights_);
    m.score = country_adjusted(e, m.detail.score, &m.detail.notes);
    matches.push_back(std::move(m));
  }
  if (options.include_linked) {
    std::vector<Match> linked;
    for (const auto& m : matches)
      for (auto l : m.entry->linked) {
        const Entry* other = &snapshot_->entries[l];
        const bool present =
            std::any_of(matches.begin(), matches.end(), [&](const Match& x) { return x.entry == other; }) ||
            std::any_of(linked.begin(), linked.end(), [&](const Match& x) { return x.entry == other; });
        if (present) continue;
        Match lm = m;
        lm.entry = other;
        lm.via = m.entry;
        lm.detail.notes.push_back("found through the linked " + m.entry->source_code + " record " +
                                  m.entry->id + " (same organisation on another list)");
        linked.push_back(std::move(lm));
      }
    for (auto& l : linked) matches.push_back(std::move(l));
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    if (a.score != b.score) return a.score > b.score;
    if ((a.via == nullptr) != (b.via == nullptr)) return a.via == nullptr;
    return a.entry->key() < b.entry->key();
  });
  if (matches.size() > options.limit) matches.resize(options.limit);
  return matches;
}

std::vector<Match> brute_force_jaro_winkler(const Screener& screener, std::string_view name,
                                            double threshold) {
  validate_query(name, "name");
  const std::string q = screener.normalizer().normalize(name).folded;
  const auto& ix = *screener.index_;
  std::unordered_map<std::uint32_t, std::pair<double, std::uint32_t>> best;
  for (std::uint32_t n = 0; n < ix.names.size(); ++n) {
    const double s = jaro_winkler(q, ix.names[n].norm.folded);
    if (s < threshold) continue;
    auto [it, inserted] = best.try_emplace(ix.names[n].entry, s, n);
    if (!inserted && s > it->second.first) it->second = {s, n};
  }
  std::vector<Match> out;
  for (const auto& [e, p] : best) {
    Match m;
    m.entry = &screener.snapshot().entries[e];
    m.score = p.first;
    m.matched_name = ix.names[p.second].text;
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) { return a.score > b.score; });
  return out;
}

std::vector<Match> entity_list_matches(const Screener& screener, std::string_view party,
                                       std::string_view country) {
  ScreenOptions options;
  options.threshold = kDefaultThreshold;
  options.country = std::string(country);
  options.limit = 1000;
  auto all = screener.screen(party, options);
  std::vector<Match> out;
  for (auto& m : all)
    if (m.entry->source_code == "EL") out.push_back(std::move(m));
  return out;
}

}  // namespace exportctl::screen
