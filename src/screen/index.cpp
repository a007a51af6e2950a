// Candidate retrieval and alignment scoring.
//
// Retrieval: an inverted index from token keys to listed names, plus a
// character-trigram index over the distinct name tokens so a misspelt token
// still finds its listed form, plus split and joined tokens (Hik Vision /
// Hikvision, zhipuhuazhang / Zhipu Huazhang). Candidates are ranked by the
// rarity-weighted sum of the query tokens they share, and only the best few
// are aligned and scored.
//
// Scoring (align): tokens are paired exactly (same key, which makes vocabulary
// synonyms equal), then by joining adjacent tokens, then fuzzily
// (token_similarity). The score is a weighted Dice coefficient over both
// sides' token weights, so every unmatched token, on either side, costs in
// proportion to how distinctive it is. Rules on top: numbers must agree; a
// pair that shares no distinctive token (only places, descriptors, legal
// forms) is halved; reordering costs a little. A small share of whole-string
// Jaro-Winkler keeps scores of equal token sets apart, so scores do not pile
// up at 1.0.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "screen/normalize.h"
#include "screen/screen.h"
#include "screen/similarity.h"

namespace exportctl::screen {

namespace {

double kind_factor(TokenKind k) {
  switch (k) {
    case TokenKind::Name:
      return 1.0;
    case TokenKind::Initial:
      return 0.35;
    case TokenKind::Number:
      return 0.6;
    case TokenKind::Place:
      return 0.3;
    case TokenKind::Descriptor:
      return 0.25;
    case TokenKind::LegalForm:
      return 0.08;
    case TokenKind::Stopword:
      return 0.04;
  }
  return 1.0;
}

bool alignable(TokenKind k) {
  return k == TokenKind::Name || k == TokenKind::Initial;
}

// Tokens that may be run together with their neighbours (van der bilt / vanderbilt).
bool joinable(TokenKind k) {
  return alignable(k) || k == TokenKind::Stopword || k == TokenKind::LegalForm;
}

bool is_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

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

struct Aligner {
  const NormalizedName& q;
  const std::vector<double>& wq;
  const NormalizedName& c;
  const std::vector<double>& wc;
  bool explain;

  PairScore run() const {
    const std::size_t nq = q.tokens.size(), nc = c.tokens.size();
    std::vector<int> q_pair(nq, -1), c_pair(nc, -1);
    struct Link {
      std::vector<std::size_t> qi, ci;
      double sim;
      const char* how;
    };
    std::vector<Link> links;

    // 1. Exact keys (vocabulary synonyms share a key), in order.
    for (std::size_t i = 0; i < nq; ++i)
      for (std::size_t j = 0; j < nc; ++j)
        if (c_pair[j] < 0 && q.tokens[i].key == c.tokens[j].key) {
          q_pair[i] = c_pair[j] = static_cast<int>(links.size());
          const auto& qs = q.tokens[i].surface;
          const auto& cs = c.tokens[j].surface;
          if (alignable(q.tokens[i].kind) && qs != cs && !is_ascii(qs) && !is_ascii(cs)) {
            // Same reading, different characters (高市/高石): a homophone, not the same name.
            links.push_back({{i}, {j}, 0.5, "same reading"});
          } else {
            const bool same_surface = qs == cs || alignable(q.tokens[i].kind);
            links.push_back({{i}, {j}, 1.0, same_surface ? "exact" : "vocabulary"});
          }
          break;
        }

    // 2. Joined tokens: adjacent unmatched tokens on one side spell one token on the other.
    const auto join_side = [&](const NormalizedName& many, std::vector<int>& many_pair,
                               const NormalizedName& one, std::vector<int>& one_pair, bool many_is_query) {
      for (std::size_t j = 0; j < one.tokens.size(); ++j) {
        if (one_pair[j] >= 0 || one.tokens[j].kind != TokenKind::Name || one.tokens[j].key.size() < 4)
          continue;
        for (std::size_t start = 0; start < many.tokens.size() && one_pair[j] < 0; ++start) {
          std::string joined;
          for (std::size_t end = start; end < many.tokens.size() && end < start + 4; ++end) {
            if (many_pair[end] >= 0 || !joinable(many.tokens[end].kind)) break;
            // Names join by key; particles and glued legal forms (SiemensAG) by surface.
            const auto& piece = many.tokens[end];
            const bool by_key = piece.kind == TokenKind::Name || piece.kind == TokenKind::Initial;
            for (char ch : by_key ? piece.key : piece.surface)
              if (ch != ' ') joined.push_back(ch);
            if (end == start) continue;
            if (joined.size() > one.tokens[j].key.size() + 2) break;
            const double sim = token_similarity(joined, one.tokens[j].key);
            if (sim >= 0.85) {
              Link link{{}, {}, sim, "joined"};
              for (std::size_t k = start; k <= end; ++k) {
                many_pair[k] = static_cast<int>(links.size());
                (many_is_query ? link.qi : link.ci).push_back(k);
              }
              one_pair[j] = static_cast<int>(links.size());
              (many_is_query ? link.ci : link.qi).push_back(j);
              links.push_back(link);
              break;
            }
          }
        }
      }
    };
    join_side(q, q_pair, c, c_pair, true);
    join_side(c, c_pair, q, q_pair, false);

    // 3. Fuzzy pairs, best first.
    struct Cand {
      double sim;
      std::size_t i, j;
      const char* how;
    };
    std::vector<Cand> cands;
    // A misspelt place reads as a name (Bank of Chima): places take part here too.
    const auto fuzzy_kind = [](TokenKind k) { return alignable(k) || k == TokenKind::Place; };
    for (std::size_t i = 0; i < nq; ++i) {
      if (q_pair[i] >= 0 || !fuzzy_kind(q.tokens[i].kind)) continue;
      for (std::size_t j = 0; j < nc; ++j) {
        if (c_pair[j] >= 0 || !fuzzy_kind(c.tokens[j].kind)) continue;
        const auto& a = q.tokens[i];
        const auto& b = c.tokens[j];
        if (a.kind == TokenKind::Place && b.kind == TokenKind::Place) continue;  // different places
        if ((a.kind == TokenKind::Place || b.kind == TokenKind::Place) &&
            (a.kind == TokenKind::Initial || b.kind == TokenKind::Initial))
          continue;
        if (a.kind == TokenKind::Initial || b.kind == TokenKind::Initial) {
          if (a.key[0] == b.key[0] && a.kind != b.kind) cands.push_back({0.7, i, j, "initial"});
          continue;
        }
        // Native-script surfaces on both sides (习近平 / 习近朋, 김정은 / 김종은):
        // one character is a whole syllable, so compare characters, not romanisations.
        if (!is_ascii(a.surface) && !is_ascii(b.surface) && a.surface != b.surface) {
          const auto ua = utf8_to_u32(a.surface), ub = utf8_to_u32(b.surface);
          std::size_t diff = std::max(ua.size(), ub.size()) - std::min(ua.size(), ub.size());
          for (std::size_t k = 0; k < std::min(ua.size(), ub.size()); ++k) diff += ua[k] != ub[k];
          if (diff > (std::min(ua.size(), ub.size()) >= 6 ? 1u : 0u)) continue;
        }
        if (const double s = token_similarity(a.key, b.key); s > 0) cands.push_back({s, i, j, "fuzzy"});
      }
    }
    std::sort(cands.begin(), cands.end(), [](const Cand& x, const Cand& y) { return x.sim > y.sim; });
    for (const auto& cd : cands) {
      if (q_pair[cd.i] >= 0 || c_pair[cd.j] >= 0) continue;
      q_pair[cd.i] = c_pair[cd.j] = static_cast<int>(links.size());
      links.push_back({{cd.i}, {cd.j}, cd.sim, cd.how});
    }

    // 4. Acronyms: a short name token spelling the initials of a run of
    // unmatched words on the other side (PLA / People's Liberation Army).
    const auto acronyms = [&](const NormalizedName& short_side, std::vector<int>& short_pair,
                              const NormalizedName& long_side, std::vector<int>& long_pair,
                              bool short_is_query) {
      for (std::size_t i = 0; i < short_side.tokens.size(); ++i) {
        const auto& t = short_side.tokens[i];
        if (short_pair[i] >= 0 || t.kind != TokenKind::Name || t.key.size() < 2 || t.key.size() > 6) continue;
        for (std::size_t start = 0; start < long_side.tokens.size(); ++start) {
          std::vector<std::size_t> used;
          std::size_t k = start, pos = 0;
          while (k < long_side.tokens.size() && pos < t.key.size() && long_pair[k] < 0) {
            const auto& w = long_side.tokens[k];
            if (w.kind == TokenKind::Stopword || w.kind == TokenKind::LegalForm) {
              used.push_back(k++);
              continue;
            }
            if (w.surface.empty() || std::tolower(static_cast<unsigned char>(w.surface[0])) != t.key[pos])
              break;
            used.push_back(k++);
            ++pos;
          }
          if (pos == t.key.size() && used.size() >= 2) {
            Link link{{}, {}, 0.9, "acronym"};
            (short_is_query ? link.qi : link.ci).push_back(i);
            short_pair[i] = static_cast<int>(links.size());
            for (auto u : used) {
              long_pair[u] = static_cast<int>(links.size());
              (short_is_query ? link.ci : link.qi).push_back(u);
            }
            links.push_back(link);
            break;
          }
        }
      }
    };
    acronyms(q, q_pair, c, c_pair, true);
    acronyms(c, c_pair, q, q_pair, false);

    // Score: weighted Dice over both sides.
    // A personal name written in full on one side and shortened on the other
    // (extra given names, patronymics) is the usual case, not a conflict: when
    // every token of one side is matched and neither side has a legal form or
    // descriptor (so it reads like a person), the other side's extra tokens
    // cost half. Companies keep the full cost: an extra word there is often a
    // subsidiary (Banco Santander Chile).
    // (A one-word name, JAZMIN, is too little to stand for a whole person.)
    const auto all_matched = [](const std::vector<int>& pairs, const NormalizedName& n) {
      const auto names =
          std::count_if(n.tokens.begin(), n.tokens.end(), [](const Token& t) { return alignable(t.kind); });
      return names >= 2 && std::all_of(pairs.begin(), pairs.end(), [](int p) { return p >= 0; });
    };
    const auto business_word = [](const NormalizedName& n) {
      return std::any_of(n.tokens.begin(), n.tokens.end(), [](const Token& t) {
        return t.kind == TokenKind::LegalForm || t.kind == TokenKind::Descriptor;
      });
    };
    const bool person_like = !business_word(q) && !business_word(c);
    const double q_unmatched = person_like && all_matched(c_pair, c) ? kUnmatched * 0.5 : kUnmatched;
    const double c_unmatched = person_like && all_matched(q_pair, q) ? kUnmatched * 0.5 : kUnmatched;
    double num = 0, den = 0;
    for (std::size_t i = 0; i < nq; ++i) den += wq[i] * (q_pair[i] >= 0 ? 1.0 : q_unmatched);
    for (std::size_t j = 0; j < nc; ++j)
      den += wc[j] * kListSideWeight * (c_pair[j] >= 0 ? 1.0 : c_unmatched);
    bool distinctive_matched = false;
    for (const auto& l : links) {
      double w = 0;
      for (auto i : l.qi) w += wq[i];
      for (auto j : l.ci) w += wc[j] * kListSideWeight;
      num += l.sim * w;
      for (auto i : l.qi)
        if (alignable(q.tokens[i].kind)) distinctive_matched = true;
    }
    PairScore out;
    double s = den > 0 ? num / den : 0.0;

    bool q_distinctive = false, c_distinctive = false;
    for (const auto& t : q.tokens) q_distinctive = q_distinctive || alignable(t.kind);
    for (const auto& t : c.tokens) c_distinctive = c_distinctive || alignable(t.kind);
    if (!distinctive_matched && (q_distinctive || c_distinctive)) {
      s *= 0.5;
      if (explain) out.notes.push_back("no distinctive name token in common (score halved)");
    } else if (!q_distinctive && !c_distinctive && explain) {
      out.notes.push_back("only places, descriptors or legal forms on both sides");
    }

    std::set<std::string> qn, cn;
    for (const auto& t : q.tokens)
      if (t.kind == TokenKind::Number) qn.insert(t.key.substr(1));
    for (const auto& t : c.tokens)
      if (t.kind == TokenKind::Number) cn.insert(t.key.substr(1));
    if (!qn.empty() && !cn.empty() && qn != cn) {
      const bool overlap =
          std::any_of(qn.begin(), qn.end(), [&](const std::string& x) { return cn.count(x) > 0; });
      s *= overlap ? 0.8 : 0.5;
      if (explain) {
        std::string a, b;
        for (const auto& x : qn) a += (a.empty() ? "" : ",") + x;
        for (const auto& x : cn) b += (b.empty() ? "" : ",") + x;
        out.notes.push_back("numbers differ (" + a + " vs " + b + ")" + (overlap ? " (x0.8)" : " (x0.5)"));
      }
    } else if (qn.empty() != cn.empty()) {
      // Numbered siblings (Fund II, Solutions II) are different entities.
      s *= 0.85;
      if (explain) out.notes.push_back("a number on one side only (x0.85)");
    }

    // Different legal forms on both sides (AG / GmbH): often a sibling.
    std::set<std::string> ql, cl;
    for (const auto& t : q.tokens)
      if (t.kind == TokenKind::LegalForm) ql.insert(t.key);
    for (const auto& t : c.tokens)
      if (t.kind == TokenKind::LegalForm) cl.insert(t.key);
    // Unmatched descriptors on both sides (Systems / Industries, Equipment /
    // Engineering) say the two do different things: often siblings.
    bool q_desc = false, c_desc = false;
    for (std::size_t i = 0; i < nq; ++i)
      q_desc = q_desc || (q_pair[i] < 0 && q.tokens[i].kind == TokenKind::Descriptor);
    for (std::size_t j = 0; j < nc; ++j)
      c_desc = c_desc || (c_pair[j] < 0 && c.tokens[j].kind == TokenKind::Descriptor);
    if (q_desc && c_desc) {
      s *= 0.9;
      if (explain) out.notes.push_back("different descriptors on the two sides (x0.9)");
    }

    // "Company" alone says nothing about the form, so it never conflicts.
    ql.erase("company");
    cl.erase("company");
    if (!ql.empty() && !cl.empty() &&
        std::none_of(ql.begin(), ql.end(), [&](const std::string& x) { return cl.count(x) > 0; })) {
      s *= 0.88;
      if (explain) out.notes.push_back("different legal forms (x0.88)");
    }

    // Reordering of matched name tokens costs a little.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < nq; ++i)
      if (q_pair[i] >= 0 && alignable(q.tokens[i].kind) &&
          !links[static_cast<std::size_t>(q_pair[i])].ci.empty())
        order.push_back(links[static_cast<std::size_t>(q_pair[i])].ci.front());
    if (order.size() > 1) {
      std::size_t inversions = 0, pairs = 0;
      for (std::size_t a = 0; a < order.size(); ++a)
        for (std::size_t b = a + 1; b < order.size(); ++b, ++pairs)
          if (order[a] > order[b]) ++inversions;
      if (inversions) {
        s *= 1.0 - 0.05 * static_cast<double>(inversions) / static_cast<double>(pairs);
        if (explain) out.notes.push_back("name tokens reordered");
      }
    }

    // A small share of surface agreement (tokens written the same way, not
    // merely equal through the vocabulary or a typo) keeps equal token sets
    // apart: "Co., Ltd." scores above "Company Limited", and only an identical
    // name reaches 1.0. Linear in the tokens, unlike whole-string Jaro.
    if (s > 0) {
      std::size_t same = 0;
      for (const auto& l : links)
        if (l.qi.size() == 1 && l.ci.size() == 1 && l.sim == 1.0 &&
            q.tokens[l.qi[0]].surface == c.tokens[l.ci[0]].surface)
          ++same;
      const double agreement = static_cast<double>(same) / static_cast<double>(std::max(nq, nc));
      s = 0.96 * s + 0.04 * agreement;
    }
    out.score = std::clamp(s, 0.0, 1.0);

    if (explain) {
      const auto surfaces = [](const NormalizedName& n, const std::vector<std::size_t>& idx) {
        std::string out_s;
        for (auto k : idx) out_s += (out_s.empty() ? "" : " ") + n.tokens[k].surface;
        return out_s;
      };
      const auto show_query = [&](std::size_t i) {
        const auto& t = q.tokens[i];
        // Romanised Han shows both forms: 华为 -> huawei.
        return t.kind == TokenKind::Name && t.surface != t.key ? t.surface + " (" + t.key + ")" : t.surface;
      };
      std::vector<bool> done(links.size(), false);
      for (std::size_t i = 0; i < nq; ++i) {
        if (q_pair[i] < 0) {
          out.alignment.push_back({show_query(i), "", "unmatched", to_string(q.tokens[i].kind), 0, wq[i]});
          continue;
        }
        const auto li = static_cast<std::size_t>(q_pair[i]);
        if (done[li]) continue;
        done[li] = true;
        const auto& l = links[li];
        std::string qs;
        double w = 0;
        for (auto k : l.qi) {
          qs += (qs.empty() ? "" : " ") + show_query(k);
          w += wq[k];
        }
        for (auto k : l.ci) w += wc[k] * kListSideWeight;
        out.alignment.push_back(
            {qs, surfaces(c, l.ci), l.how, to_string(q.tokens[l.qi.front()].kind), l.sim, w});
      }
      for (std::size_t j = 0; j < nc; ++j)
        if (c_pair[j] < 0)
          out.alignment.push_back({"", c.tokens[j].surface, "unmatched", to_string(c.tokens[j].kind), 0,
                                   wc[j] * kListSideWeight});
    }
    return out;
  }

  static constexpr double kListSideWeight = 0.8;
  // An unmatched token costs a little less than a matched one weighs: extra
  // middle names and branch words are common in true matches.
  static constexpr double kUnmatched = 0.75;
};

}  // namespace

// ---------------------------------------------------------------- index

struct Screener::Index {
  struct Name {
    std::uint32_t entry;
    std::string text;
    NormalizedName norm;
    std::vector<double> weights;
    double total_weight = 0;  // list-side weight of all tokens, for the score bound
  };
  std::vector<Name> names;
  std::unordered_map<std::string, std::uint32_t> dict;  // token key -> token id
  std::vector<std::string> token_keys;
  std::vector<std::uint32_t> token_length;  // token_keys[i].size(), compact for the fuzzy filter
  std::vector<std::uint32_t> df;
  std::vector<std::vector<std::uint32_t>> postings;                     // token id -> name ids
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> grams;  // trigram -> name-token ids
  double log_n = 1;

  double rarity(const std::string& key) const {
    const auto it = dict.find(key);
    const double d = it == dict.end() ? 0.0 : static_cast<double>(df[it->second]);
    const double idf = std::log((static_cast<double>(names.size()) + 1.0) / (d + 1.0)) / log_n;
    return 0.35 + 0.65 * std::clamp(idf, 0.0, 1.0);
  }
  std::vector<double> weights(const NormalizedName& n) const {
    std::vector<double> w;
    w.reserve(n.tokens.size());
    for (const auto& t : n.tokens)
      w.push_back(kind_factor(t.kind) * (t.kind == TokenKind::Name ? rarity(t.key) : 1.0));
    return w;
  }
};

Screener::Screener(std::shared_ptr<const ListSnapshot> snapshot, std::shared_ptr<const Normalizer> normalizer)
    : snapshot_(std::move(snapshot)), normalizer_(std::move(normalizer)), index_(std::make_unique<Index>()) {
  Index& ix = *index_;
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
    std::set<std::string> seen;
    for (const auto& text : texts) {
      NormalizedName norm = normalizer_->normalize(text);
      if (norm.tokens.empty()) continue;
      std::string sig;
      for (const auto& t : norm.tokens) sig += t.key + " ";
      if (!seen.insert(sig).second) continue;
      ix.names.push_back({static_cast<std::uint32_t>(e), text, std::move(norm), {}});
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
  }
  ix.log_n = std::log(static_cast<double>(ix.names.size()) + 1.0);
  if (ix.log_n <= 0) ix.log_n = 1;
  for (auto& n : ix.names) {
    n.weights = ix.weights(n.norm);
    for (double w : n.weights) n.total_weight += w * Aligner::kListSideWeight;
  }
}

Screener::~Screener() = default;

std::size_t Screener::indexed_names() const {
  return index_->names.size();
}

PairScore Screener::score_pair(std::string_view query, std::string_view listed) const {
  const auto q = normalizer_->normalize(query);
  const auto c = normalizer_->normalize(listed);
  const auto wq = index_->weights(q), wc = index_->weights(c);
  return Aligner{q, wq, c, wc, true}.run();
}

std::vector<Match> Screener::screen(std::string_view name, const ScreenOptions& options) const {
  validate_query(name, "name");
  const Index& ix = *index_;
  // Han characters have more than one reading: pinyin for Chinese names,
  // Sino-Korean for North Korean names written in characters (金策 = Kim
  // Chaek). Both readings are searched and each entry keeps its best.
  std::vector<NormalizedName> variants{normalizer_->normalize(name)};
  if (normalizer_->has_korean_readings()) {
    NormalizedName korean = normalizer_->normalize(name, HanReading::Korean);
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
    for (std::size_t i = 0; i < q.tokens.size(); ++i) {
      const Token& t = q.tokens[i];
      if (t.kind == TokenKind::LegalForm || t.kind == TokenKind::Stopword) continue;
      if (t.kind == TokenKind::Descriptor && has_name) continue;
      // Rarity ranks candidates for non-name tokens too ("aerospace" says more than "china").
      const auto exact = lookup(t.key);
      if (exact) add_postings(*exact, t.kind == TokenKind::Name ? wq[i] : wq[i] * ix.rarity(t.key));
      if (t.kind != TokenKind::Name) continue;
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
          if (!a) continue;
          if (const auto b = lookup(t.key.substr(cut))) {
            add_postings(*a, wq[i] * 0.5);
            add_postings(*b, wq[i] * 0.5);
          }
        }
    }
    // Join: adjacent query tokens spelling one listed token (hik vision).
    for (std::size_t i = 0; i + 1 < q.tokens.size(); ++i) {
      std::string joined = q.tokens[i].key;
      double w = wq[i];
      if (!alignable(q.tokens[i].kind)) continue;
      for (std::size_t j = i + 1; j < q.tokens.size() && j < i + 4 && alignable(q.tokens[j].kind); ++j) {
        joined += q.tokens[j].key;
        w += wq[j];
        if (auto id = lookup(joined)) add_postings(*id, w);
      }
    }

    // Best candidates by accumulated weight.
    std::vector<std::pair<float, std::uint32_t>> ranked;
    ranked.reserve(touched.size());
    float best = 0;
    for (auto n : touched) {
      ranked.emplace_back(acc[n], n);
      best = std::max(best, acc[n]);
      acc[n] = 0.0f;
    }
    // Names made only of descriptors, places and numbers (Chinese institutes)
    // share their words with many listed names: look at more of them.
    const std::size_t kCandidates = has_name ? 64 : 384;
    if (ranked.size() > kCandidates) {
      std::partial_sort(ranked.begin(), ranked.begin() + kCandidates, ranked.end(),
                        [](const auto& a, const auto& b) { return a.first > b.first; });
      ranked.resize(kCandidates);
    }

    // Score, keep the best name per entry. A candidate whose best possible
    // score (every one of its tokens matched, the query's matched weight as
    // accumulated) stays under the threshold is not aligned at all.
    double query_weight = 0;
    for (double w : wq) query_weight += w;
    for (const auto& [weight, n] : ranked) {
      if (has_name && weight < 0.2f * best) continue;
      const auto& cand = ix.names[n];
      const double matched = std::min(query_weight, 1.1 * static_cast<double>(weight));
      const double bound =
          (matched + cand.total_weight) /
          (matched + cand.total_weight + Aligner::kUnmatched * (query_weight - matched) + 1e-9);
      if (bound < options.threshold - 0.06) continue;
      const double s = Aligner{q, wq, cand.norm, cand.weights, false}.run().score;
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
      return s + 0.05 * (1.0 - s);
    }
    if (notes) notes->push_back("country " + cc + " is not among the entry's countries (x0.93)");
    return s * 0.93;
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
    m.detail = Aligner{q, wq, cand.norm, cand.weights, true}.run();
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
