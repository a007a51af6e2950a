#pragma once
// Text for a person, rendered only from the JSON objects the engine returns
// (the same objects --json prints and the API serves).

#include <nlohmann/json.hpp>

#include <string>

namespace exportctl::cli {

// A classification: the verdict and why, the TPP/PD arithmetic, every
// provision tested with its comparisons and citation.
std::string classification_text(const nlohmann::json& classification);
// A license decision: the decision first, then the reasons as a short tree,
// requirements that did not apply included, each with its citation.
std::string decision_text(const nlohmann::json& decision);
// A screening result: matches with scores, alignment, FR notice, policy.
std::string screen_text(const nlohmann::json& result);
// Parties publicly reported as under consideration for listing that the
// answer's names match ("watch: ..."), as information; empty when none.
std::string watch_text(const nlohmann::json& answer);
// What an undetermined answer needs: one line per figure, with the tests.
std::string missing_text(const nlohmann::json& missing);
// "HYPOTHETICAL: ..." when the answer used what-if scenario rules; empty otherwise.
std::string hypothetical_banner(const nlohmann::json& answer);
// A JSON scalar as a reader writes it ("unknown" for null, 2 decimals).
std::string show(const nlohmann::json& value);

}  // namespace exportctl::cli
