// Alignment scoring of two normalised names (the "Scoring" half of the
// method described in index.cpp): tokens paired exactly, then joined, then
// fuzzily, then as acronyms; a weighted Dice score over both sides with the
// evidence rules of ScoringWeights on top, and the alignment in words.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "screen/aligner.h"
#include "screen/normalize.h"
#include "screen/similarity.h"
#include "screen/text.h"

namespace exportctl::screen {

using text::ascii_lower;
using text::is_ascii;
using text::lower_ascii;
using text::vocabulary_kind;

bool alignable(TokenKind k) {
  return k == TokenKind::Name || k == TokenKind::Initial;
}

namespace {

// Tokens that may be run together with their neighbours (van der bilt / vanderbilt).
bool joinable(TokenKind k) {
  return alignable(k) || k == TokenKind::Stopword || k == TokenKind::LegalForm;
}

// How an evidence rule's factor reads in a note: "(x0.88)".
std::string times(double factor) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "(x%g)", factor);
  return buf;
}

struct Aligner {
  const NormalizedName& q;
  const std::vector<double>& wq;
  const NormalizedName& c;
  const std::vector<double>& wc;
  bool explain;
  const ScoringWeights& weights;

  PairScore run() const {
    const std::size_t nq = q.tokens.size(), nc = c.tokens.size();
    std::vector<int> q_pair(nq, -1), c_pair(nc, -1);
    struct Link {
      std::vector<std::size_t> qi, ci;
      double sim;
      const char* how;
    };
    std::vector<Link> links;

    // Pairs tokens start..end of one side, joined, with token j of the other.
    const auto link_run = [&](std::vector<int>& many_pair, std::size_t start, std::size_t end,
                              std::vector<int>& one_pair, std::size_t j, bool many_is_query, double sim) {
      Link link{{}, {}, sim, "joined"};
      for (std::size_t k = start; k <= end; ++k) {
        many_pair[k] = static_cast<int>(links.size());
        (many_is_query ? link.qi : link.ci).push_back(k);
      }
      one_pair[j] = static_cast<int>(links.size());
      (many_is_query ? link.ci : link.qi).push_back(j);
      links.push_back(link);
    };

    // 0. A brand written as two words where one is also a vocabulary word
    // (Wing Tech / Wingtech, Uni-View / Uniview): the run, joined as written, spells a
    // listed name token exactly. First, before "tech" pairs with the listed
    // descriptor "Technology" as a synonym.
    const auto brand_join = [&](const NormalizedName& many, std::vector<int>& many_pair,
                                const NormalizedName& one, std::vector<int>& one_pair, bool many_is_query) {
      const auto vocabulary = [](const Token& t) { return vocabulary_kind(t.kind); };
      // Most pairs have no vocabulary word written in Latin letters to join: nothing to do.
      if (std::none_of(many.tokens.begin(), many.tokens.end(),
                       [&](const Token& t) { return vocabulary(t) && is_ascii(t.surface); }))
        return;
      std::string joined;
      for (std::size_t j = 0; j < one.tokens.size(); ++j) {
        const Token& target = one.tokens[j];
        if (one_pair[j] >= 0 || target.kind != TokenKind::Name || target.key.size() < 5) continue;
        for (std::size_t start = 0; start + 1 < many.tokens.size() && one_pair[j] < 0; ++start) {
          const Token& first = many.tokens[start];
          const char lead = first.surface.empty() ? '\0' : ascii_lower(first.surface[0]);
          if ((vocabulary(first) ? lead : first.key[0]) != target.key[0]) continue;
          joined.clear();
          bool has_vocabulary = false, has_name = false;
          for (std::size_t end = start; end < many.tokens.size() && end < start + 3; ++end) {
            const Token& piece = many.tokens[end];
            const bool word = vocabulary(piece);
            if (many_pair[end] >= 0 || !(word || piece.kind == TokenKind::Name) || !is_ascii(piece.surface))
              break;
            has_vocabulary = has_vocabulary || word;
            has_name = has_name || !word;
            for (char ch : word ? piece.surface : piece.key)
              if (ch != ' ' && ch != '-') joined.push_back(ascii_lower(ch));
            if (joined.size() > target.key.size() || target.key.compare(0, joined.size(), joined) != 0) break;
            if (!has_vocabulary || !has_name || joined.size() != target.key.size()) continue;
            link_run(many_pair, start, end, one_pair, j, many_is_query, 1.0);
            break;
          }
        }
      }
    };
    brand_join(q, q_pair, c, c_pair, true);
    brand_join(c, c_pair, q, q_pair, false);

    // 1. Exact keys (vocabulary synonyms share a key), in order.
    for (std::size_t i = 0; i < nq; ++i)
      for (std::size_t j = 0; j < nc && q_pair[i] < 0; ++j)
        if (c_pair[j] < 0 && q.tokens[i].key == c.tokens[j].key) {
          q_pair[i] = c_pair[j] = static_cast<int>(links.size());
          const auto& qs = q.tokens[i].surface;
          const auto& cs = c.tokens[j].surface;
          if (alignable(q.tokens[i].kind) && qs != cs && !is_ascii(qs) && !is_ascii(cs)) {
            // Same reading, different characters (高市/高石): a homophone, not the same name.
            links.push_back({{i}, {j}, weights.same_reading, "same reading"});
          } else if (!q.tokens[i].typo_of.empty()) {
            links.push_back({{i}, {j}, weights.typo, "typo"});
          } else {
            const bool same_surface = qs == cs || alignable(q.tokens[i].kind);
            links.push_back({{i}, {j}, 1.0, same_surface ? "exact" : "vocabulary"});
          }
          break;
        }

    // 1b. Pinyin that is also a vocabulary form: "zhongxin" reads 中心 (center)
    // and 中芯 (SMIC's brand). A word written in Latin letters whose surface is
    // the reading of a name on the other side is that name.
    const auto same_pinyin = [&](const NormalizedName& word_side, std::vector<int>& word_pair,
                                 const NormalizedName& name_side, std::vector<int>& name_pair,
                                 bool word_is_query) {
      // Only names read from Han characters have a pinyin to meet.
      if (std::none_of(name_side.tokens.begin(), name_side.tokens.end(),
                       [](const Token& t) { return t.kind == TokenKind::Name && !is_ascii(t.surface); }))
        return;
      for (std::size_t i = 0; i < word_side.tokens.size(); ++i) {
        const Token& w = word_side.tokens[i];
        if (word_pair[i] >= 0 || alignable(w.kind) || w.kind == TokenKind::Number || !is_ascii(w.surface) ||
            w.surface.find(' ') != std::string::npos)
          continue;
        for (std::size_t j = 0; j < name_side.tokens.size(); ++j) {
          const Token& n = name_side.tokens[j];
          if (name_pair[j] >= 0 || n.kind != TokenKind::Name || n.key.size() != w.surface.size() ||
              is_ascii(n.surface) || lower_ascii(w.surface) != n.key)
            continue;
          word_pair[i] = name_pair[j] = static_cast<int>(links.size());
          links.push_back(word_is_query ? Link{{i}, {j}, 1.0, "exact"} : Link{{j}, {i}, 1.0, "exact"});
          break;
        }
      }
    };
    same_pinyin(q, q_pair, c, c_pair, true);
    same_pinyin(c, c_pair, q, q_pair, false);

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
            if (sim >= weights.joined_min) {
              link_run(many_pair, start, end, one_pair, j, many_is_query, sim);
              break;
            }
          }
        }
      }
    };
    join_side(q, q_pair, c, c_pair, true);
    join_side(c, c_pair, q, q_pair, false);

    // 2b. A misspelt multi-word descriptor ("Integrated Circut" for the
    // listed "integrated circuit"): a run of unrecognised query words that,
    // joined, is a typo of the listed vocabulary token.
    for (std::size_t j = 0; j < nc; ++j) {
      const Token& b = c.tokens[j];
      const std::string listed = lower_ascii(b.surface);
      if (c_pair[j] >= 0 || (b.kind != TokenKind::Descriptor && b.kind != TokenKind::LegalForm) ||
          listed.find(' ') == std::string::npos || !is_ascii(listed))
        continue;
      const auto words = static_cast<std::size_t>(std::count(listed.begin(), listed.end(), ' ')) + 1;
      for (std::size_t i = 0; i + words <= nq; ++i) {
        std::string joined;
        bool usable = true;
        for (std::size_t k = i; k < i + words && usable; ++k) {
          const Token& t = q.tokens[k];
          usable = q_pair[k] < 0 && t.kind == TokenKind::Name && is_ascii(t.surface);
          joined += (k == i ? "" : " ") + lower_ascii(t.surface);
        }
        if (!usable) continue;
        if (const double sim = token_similarity(joined, listed); sim > 0) {
          std::vector<std::size_t> run;
          for (std::size_t k = i; k < i + words; ++k) {
            run.push_back(k);
            q_pair[k] = static_cast<int>(links.size());
          }
          c_pair[j] = static_cast<int>(links.size());
          links.push_back({run, {j}, sim, "typo"});
          break;
        }
      }
    }

    // 3. Fuzzy pairs, best first.
    struct Cand {
      double sim;
      std::size_t i, j;
      const char* how;
    };
    std::vector<Cand> cands;
    // A misspelt place reads as a name (Bank of Chima): places take part here too.
    const auto fuzzy_kind = [](TokenKind k) { return alignable(k) || k == TokenKind::Place; };
    // So does a misspelt descriptor or legal form ("Circut", "Grop"): the
    // normaliser cannot recognise it, so it arrives as a name; it may still
    // pair with the word it misspells, as a typo, never as a name match.
    const auto vocabulary_word = [](const Token& t) {
      return (t.kind == TokenKind::Descriptor || t.kind == TokenKind::LegalForm) && t.key.size() >= 5;
    };
    for (std::size_t i = 0; i < nq; ++i) {
      if (q_pair[i] >= 0) continue;
      const bool q_fuzzy = fuzzy_kind(q.tokens[i].kind);
      for (std::size_t j = 0; j < nc; ++j) {
        if (c_pair[j] >= 0) continue;
        const auto& a = q.tokens[i];
        const auto& b = c.tokens[j];
        const bool c_fuzzy = fuzzy_kind(b.kind);
        if (!q_fuzzy || !c_fuzzy) {
          const bool typo = (a.kind == TokenKind::Name && vocabulary_word(b) && a.key.size() >= 4) ||
                            (b.kind == TokenKind::Name && vocabulary_word(a) && b.key.size() >= 4);
          if (!typo || !is_ascii(a.surface) || !is_ascii(b.surface)) continue;
          // Vocabulary keys are canonical ("technologies" and "tech" share one): compare what was written.
          if (const double sim = token_similarity(lower_ascii(a.surface), lower_ascii(b.surface)); sim > 0)
            cands.push_back({sim, i, j, "typo"});
          continue;
        }
        if (a.kind == TokenKind::Place && b.kind == TokenKind::Place) continue;  // different places
        if ((a.kind == TokenKind::Place || b.kind == TokenKind::Place) &&
            (a.kind == TokenKind::Initial || b.kind == TokenKind::Initial))
          continue;
        if (a.kind == TokenKind::Initial || b.kind == TokenKind::Initial) {
          if (a.key[0] == b.key[0] && a.kind != b.kind)
            cands.push_back({weights.initial_match, i, j, "initial"});
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
            Link link{{}, {}, weights.acronym, "acronym"};
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
    const double person_extra = weights.unmatched * weights.person_extra;
    const double q_unmatched = person_like && all_matched(c_pair, c) ? person_extra : weights.unmatched;
    const double c_unmatched = person_like && all_matched(q_pair, q) ? person_extra : weights.unmatched;
    double num = 0, den = 0;
    for (std::size_t i = 0; i < nq; ++i) den += wq[i] * (q_pair[i] >= 0 ? 1.0 : q_unmatched);
    for (std::size_t j = 0; j < nc; ++j)
      den += wc[j] * weights.list_side * (c_pair[j] >= 0 ? 1.0 : c_unmatched);
    bool distinctive_matched = false;
    for (const auto& l : links) {
      double w = 0;
      for (auto i : l.qi) w += wq[i];
      for (auto j : l.ci) w += wc[j] * weights.list_side;
      num += l.sim * w;
      // A misspelt vocabulary word paired with the word it misspells says
      // nothing about which organisation this is, unless both are names (a
      // group's name misspelt: CASIC).
      bool q_name = false, c_name = false;
      for (auto i : l.qi) q_name = q_name || alignable(q.tokens[i].kind);
      for (auto j : l.ci) c_name = c_name || alignable(c.tokens[j].kind);
      if (std::string_view(l.how) == "typo" ? (q_name && c_name) : (q_name || c_name))
        distinctive_matched = true;
    }
    PairScore out;
    double s = den > 0 ? num / den : 0.0;

    bool q_distinctive = false, c_distinctive = false;
    for (const auto& t : q.tokens) q_distinctive = q_distinctive || alignable(t.kind);
    for (const auto& t : c.tokens) c_distinctive = c_distinctive || alignable(t.kind);
    if (!distinctive_matched && (q_distinctive || c_distinctive)) {
      s *= weights.no_distinctive_token;
      if (explain)
        out.notes.push_back("no distinctive name token in common " + times(weights.no_distinctive_token));
    } else if (!q_distinctive && !c_distinctive) {
      // Names made only of generic words (institutes, supercomputing centres,
      // "Technology Group Co Ltd"): the words are all there is to tell them
      // apart. Two different cities (Harbin / Guiyang First Machinery Group),
      // or words on each side that the other lacks, are different bodies; one
      // name with words the other lacks is only a little less alike when a
      // city anchors both (translations add and drop words), more when nothing
      // does. Short of another city, a number both sides share (4.27 Trading
      // Company) names the body well enough.
      const auto unmatched_kind = [](const NormalizedName& n, const std::vector<int>& pairs, TokenKind k) {
        for (std::size_t i = 0; i < n.tokens.size(); ++i)
          if (pairs[i] < 0 && n.tokens[i].kind == k) return true;
        return false;
      };
      bool number_shared = false, place_shared = false;
      for (std::size_t i = 0; i < nq; ++i) {
        number_shared = number_shared || (q_pair[i] >= 0 && q.tokens[i].kind == TokenKind::Number);
        place_shared = place_shared || (q_pair[i] >= 0 && q.tokens[i].kind == TokenKind::Place);
      }
      const bool q_extra = unmatched_kind(q, q_pair, TokenKind::Descriptor);
      const bool c_extra = unmatched_kind(c, c_pair, TokenKind::Descriptor);
      const bool other_city =
          unmatched_kind(q, q_pair, TokenKind::Place) && unmatched_kind(c, c_pair, TokenKind::Place);
      if (other_city || (!number_shared && q_extra && c_extra)) {
        s *= weights.no_distinctive_token;
        if (explain)
          out.notes.push_back("only generic words, and each name has some the other lacks " +
                              times(weights.no_distinctive_token));
      } else if (!number_shared && !place_shared && (q_extra || c_extra)) {
        s *= weights.generic_extra_word;
        if (explain)
          out.notes.push_back("only generic words, one name has more of them " +
                              times(weights.generic_extra_word));
      } else if (explain) {
        out.notes.push_back("only places, descriptors or legal forms on both sides");
      }
    }

    std::set<std::string> qn, cn;
    for (const auto& t : q.tokens)
      if (t.kind == TokenKind::Number) qn.insert(t.key.substr(1));
    for (const auto& t : c.tokens)
      if (t.kind == TokenKind::Number) cn.insert(t.key.substr(1));
    if (!qn.empty() && !cn.empty() && qn != cn) {
      const bool overlap =
          std::any_of(qn.begin(), qn.end(), [&](const std::string& x) { return cn.count(x) > 0; });
      const double factor = overlap ? weights.numbers_overlap : weights.numbers_disjoint;
      s *= factor;
      if (explain) {
        std::string a, b;
        for (const auto& x : qn) a += (a.empty() ? "" : ",") + x;
        for (const auto& x : cn) b += (b.empty() ? "" : ",") + x;
        out.notes.push_back("numbers differ (" + a + " vs " + b + ") " + times(factor));
      }
    } else if (qn.empty() != cn.empty()) {
      // Numbered siblings (Fund II, Solutions II) are different entities.
      s *= weights.number_one_side;
      if (explain) out.notes.push_back("a number on one side only " + times(weights.number_one_side));
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
      s *= weights.descriptor_conflict;
      if (explain)
        out.notes.push_back("different descriptors on the two sides " + times(weights.descriptor_conflict));
    }

    // "Company" alone says nothing about the form, so it never conflicts.
    ql.erase("company");
    cl.erase("company");
    if (!ql.empty() && !cl.empty() &&
        std::none_of(ql.begin(), ql.end(), [&](const std::string& x) { return cl.count(x) > 0; })) {
      s *= weights.legal_form_conflict;
      if (explain) out.notes.push_back("different legal forms " + times(weights.legal_form_conflict));
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
        s *= 1.0 - weights.reorder * static_cast<double>(inversions) / static_cast<double>(pairs);
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
      s = (1.0 - weights.surface_share) * s + weights.surface_share * agreement;
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
        for (auto k : l.ci) w += wc[k] * weights.list_side;
        out.alignment.push_back(
            {qs, surfaces(c, l.ci), l.how, to_string(q.tokens[l.qi.front()].kind), l.sim, w});
      }
      for (std::size_t j = 0; j < nc; ++j)
        if (c_pair[j] < 0)
          out.alignment.push_back({"", c.tokens[j].surface, "unmatched", to_string(c.tokens[j].kind), 0,
                                   wc[j] * weights.list_side});
    }
    return out;
  }
};

}  // namespace

PairScore align(const NormalizedName& query, const std::vector<double>& query_weights,
                const NormalizedName& listed, const std::vector<double>& listed_weights, bool explain,
                const ScoringWeights& weights) {
  return Aligner{query, query_weights, listed, listed_weights, explain, weights}.run();
}

}  // namespace exportctl::screen
