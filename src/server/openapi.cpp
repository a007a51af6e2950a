// The OpenAPI 3 document served at /openapi.json. A test checks real
// responses against these schemas, so the document cannot drift from the
// answers.

#include "server/api.h"

namespace exportctl::server {

using nlohmann::json;

namespace {

json ref(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

json object(json properties, std::vector<std::string> required) {
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}

json str() {
  return {{"type", "string"}};
}
json num() {
  return {{"type", "number"}};
}
json boolean() {
  return {{"type", "boolean"}};
}
json array_of(json items) {
  return {{"type", "array"}, {"items", std::move(items)}};
}
json nullable(json schema) {
  schema["nullable"] = true;
  return schema;
}

json json_body(const std::string& schema) {
  return {
      {"required", true},
      {"content", {{"application/json", {{"schema", {{"oneOf", {ref(schema), array_of(ref(schema))}}}}}}}}};
}

json answers(const std::string& schema, const std::string& description) {
  return {
      {"200", {{"description", description}, {"content", {{"application/json", {{"schema", ref(schema)}}}}}}},
      {"400",
       {{"description", "bad input: the field and what is wrong"},
        {"content", {{"application/json", {{"schema", ref("Error")}}}}}}},
      {"401",
       {{"description", "no valid API key"},
        {"content", {{"application/json", {{"schema", ref("Error")}}}}}}},
      {"503",
       {{"description", "at capacity; retry"},
        {"content", {{"application/json", {{"schema", ref("Error")}}}}}}}};
}

}  // namespace

json openapi_document() {
  const json versions =
      object({{"exportctl", str()}, {"rules", str()}, {"catalog", str()}, {"rules_as_of", nullable(str())}},
             {"exportctl", "rules", "catalog"});
  const json citation = object({{"text", str()}, {"fr", str()}, {"cfr", str()}, {"url", str()}}, {"text"});
  const json missing = array_of(
      object({{"input", str()}, {"field", str()}, {"tests", array_of(str())}}, {"input", "field", "tests"}));
  const json audit_ref = object({{"seq", {{"type", "integer"}}}, {"hash", str()}}, {"seq", "hash"});
  json schemas;
  schemas["Error"] = object(
      {{"error", object({{"field", nullable(str())}, {"message", str()}, {"item", {{"type", "integer"}}}},
                        {"field", "message"})}},
      {"error"});
  schemas["Versions"] = versions;
  schemas["ClassifyRequest"] =
      object({{"chip", str()}, {"spec", {{"type", "object"}}}, {"date", str()}, {"timeline", boolean()}}, {});
  schemas["CheckRequest"] =
      object({{"chip", str()},
              {"spec", {{"type", "object"}}},
              {"to", str()},
              {"hq", str()},
              {"date", str()},
              {"party", array_of(str())},
              {"owners", array_of(object({{"name", str()}, {"percent", num()}}, {"name", "percent"}))},
              {"end_use", str()},
              {"export_from", str()},
              {"timeline", boolean()},
              {"apply_ai_diffusion", boolean()}},
             {"to"});
  schemas["ScreenRequest"] =
      object({{"name", str()}, {"country", str()}, {"threshold", num()}, {"limit", {{"type", "integer"}}}},
             {"name"});
  schemas["Classification"] = object({{"chip", str()},
                                      {"date", str()},
                                      {"determined", boolean()},
                                      {"eccn", nullable(str())},
                                      {"paragraph", nullable(str())},
                                      {"tpp", nullable(num())},
                                      {"pd", nullable(num())},
                                      {"why", str()},
                                      {"rule_version", nullable(str())},
                                      {"trace", array_of({{"type", "object"}})},
                                      {"missing", missing},
                                      {"versions", ref("Versions")},
                                      {"audit", audit_ref}},
                                     {"chip", "date", "determined", "eccn", "why", "trace"});
  schemas["Decision"] = object({{"item", str()},
                                {"to", str()},
                                {"date", str()},
                                {"determined", boolean()},
                                {"complete", boolean()},
                                {"license_required", nullable(boolean())},
                                {"policy", nullable(str())},
                                {"requirements", array_of(str())},
                                {"exceptions", array_of(str())},
                                {"flags", array_of(str())},
                                {"warnings", array_of(str())},
                                {"decision", str()},
                                {"why", str()},
                                {"deciding_rules", array_of(str())},
                                {"classification", ref("Classification")},
                                {"party_matches", array_of({{"type", "object"}})},
                                {"reasons", array_of(object({{"type", str()},
                                                             {"sentence", str()},
                                                             {"rule", str()},
                                                             {"citation", citation},
                                                             {"evidence", str()}},
                                                            {"type", "sentence"}))},
                                {"missing", missing},
                                {"versions", ref("Versions")},
                                {"audit", audit_ref}},
                               {"item", "to", "date", "determined", "complete", "license_required",
                                "requirements", "decision", "reasons", "classification"});
  schemas["ScreenResult"] =
      object({{"query", str()},
              {"threshold", num()},
              {"list_version", str()},
              {"matches",
               array_of(object({{"score", num()},
                                {"matched_name", str()},
                                {"entry", {{"type", "object"}}},
                                // Set when matched_name is a registered Chinese name from data/names.
                                {"name_source", object({{"name", str()},
                                                        {"source_url", str()},
                                                        {"source_kind", str()},
                                                        {"source_title", str()},
                                                        {"read_on", str()},
                                                        {"unconfirmed", str()}},
                                                       {"name", "source_url", "source_kind", "read_on"})}},
                               {"score", "matched_name", "entry"}))},
              // Parties publicly reported as under consideration for listing: information only.
              {"watch", array_of(object({{"score", num()},
                                         {"matched_name", str()},
                                         {"id", str()},
                                         {"name", str()},
                                         {"status", str()},
                                         {"remarks", str()},
                                         {"source_url", str()},
                                         {"information_only", str()}},
                                        {"id", "name", "status", "source_url", "information_only"}))},
              {"versions", ref("Versions")},
              {"audit", audit_ref}},
             {"query", "threshold", "list_version", "matches"});
  schemas["AuditRecord"] =
      object({{"seq", {{"type", "integer"}}},
              {"time", str()},
              {"kind", str()},
              {"caller", str()},
              {"request", {{"type", "object"}}},
              {"response", {{"type", "object"}}},
              {"versions", {{"type", "object"}}},
              {"rule_ids", array_of(str())},
              {"prev_hash", str()},
              {"hash", str()}},
             {"seq", "time", "kind", "caller", "request", "response", "prev_hash", "hash"});
  schemas["AuditPage"] = object({{"records", array_of(ref("AuditRecord"))},
                                 {"next_cursor", nullable({{"type", "integer"}})},
                                 {"log", str()}},
                                {"records", "next_cursor"});
  schemas["VerifyReport"] =
      object({{"ok", boolean()},
              {"records", {{"type", "integer"}}},
              {"head", object({{"seq", {{"type", "integer"}}}, {"hash", str()}}, {"seq", "hash"})},
              {"first_bad", nullable({{"type", "integer"}})},
              {"problem", str()}},
             {"ok", "records", "head"});
  schemas["Chip"] = object({{"id", str()}, {"vendor", str()}, {"name", str()}, {"market", str()}},
                           {"id", "vendor", "name"});
  schemas["ImpactSummary"] = object({{"before", str()},
                                     {"after", str()},
                                     {"orders", {{"type", "integer"}}},
                                     {"skipped_rows", {{"type", "integer"}}},
                                     {"by_change", {{"type", "object"}}},
                                     {"scenarios", {{"type", "array"}}}},
                                    {"before", "after", "orders", "skipped_rows", "by_change"});
  schemas["Rules"] = object({{"date", nullable(str())},
                             {"rules", array_of(object({{"id", str()},
                                                        {"kind", str()},
                                                        {"effective_from", str()},
                                                        {"citation", citation},
                                                        {"evidence", str()}},
                                                       {"id", "kind", "effective_from", "evidence"}))},
                             {"versions", ref("Versions")}},
                            {"rules", "versions"});
  schemas["Health"] = object({{"status", str()}, {"versions", ref("Versions")}}, {"status", "versions"});

  json paths;
  paths["/v1/classify"]["post"] = {
      {"summary", "Classify a chip or spec under 3A090/4A090 on a date (or an array of requests)"},
      {"requestBody", json_body("ClassifyRequest")},
      {"responses", answers("Classification", "the classification (an array for an array)")}};
  paths["/v1/check"]["post"] = {
      {"summary", "License determination for a transaction (or an array of transactions)"},
      {"requestBody", json_body("CheckRequest")},
      {"responses", answers("Decision", "the decision with its reasons (an array for an array)")}};
  paths["/v1/screen"]["post"] = {
      {"summary", "Screen a party name against the restricted-party lists (or an array)"},
      {"requestBody", json_body("ScreenRequest")},
      {"responses", answers("ScreenResult", "matches with scores and alignment")}};
  paths["/v1/chips"]["get"] = {
      {"summary", "The chip catalog"},
      {"responses",
       {{"200",
         {{"description", "chips"},
          {"content", {{"application/json", {{"schema", array_of(ref("Chip"))}}}}}}}}}};
  paths["/v1/chips/{id}"]["get"] = {
      {"summary", "One chip with its figures and sources"},
      {"parameters", {{{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", str()}}}},
      {"responses",
       {{"200",
         {{"description", "the chip"}, {"content", {{"application/json", {{"schema", ref("Chip")}}}}}}},
        {"404",
         {{"description", "unknown chip"},
          {"content", {{"application/json", {{"schema", ref("Error")}}}}}}}}}};
  paths["/v1/rules"]["get"] = {{"summary", "Rule versions (in force on a date)"},
                               {"parameters", {{{"name", "date"}, {"in", "query"}, {"schema", str()}}}},
                               {"responses", answers("Rules", "rule versions with citations")}};
  paths["/v1/audit"]["get"] = {
      {"summary", "Audit records, oldest first, in pages"},
      {"parameters",
       {{{"name", "from"}, {"in", "query"}, {"schema", str()}},
        {{"name", "to"}, {"in", "query"}, {"schema", str()}},
        {{"name", "limit"}, {"in", "query"}, {"schema", {{"type", "integer"}}}},
        {{"name", "cursor"}, {"in", "query"}, {"schema", {{"type", "integer"}}}},
        {{"name", "caller"}, {"in", "query"}, {"schema", str()}},
        {{"name", "kind"}, {"in", "query"}, {"schema", str()}}}},
      {"responses", answers("AuditPage", "a page of records and the cursor of the next")}};
  paths["/v1/audit/verify"]["get"] = {
      {"summary", "Walk the hash chain; names the first altered, inserted or removed record"},
      {"parameters", {{{"name", "expect_head"}, {"in", "query"}, {"schema", str()}}}},
      {"responses",
       {{"200",
         {{"description", "the chain is whole"},
          {"content", {{"application/json", {{"schema", ref("VerifyReport")}}}}}}},
        {"409",
         {{"description", "the chain is broken"},
          {"content", {{"application/json", {{"schema", ref("VerifyReport")}}}}}}}}}};
  paths["/v1/impact"]["post"] = {
      {"summary", "Impact analysis of an order book between two dates, optionally with what-if scenarios"},
      {"requestBody",
       {{"required", true},
        {"content",
         {{"application/json",
           {{"schema",
             {{"type", "object"},
              {"required", {"orders", "before", "after"}},
              {"properties",
               {{"orders", {{"type", "string"}, {"description", "order book CSV (docs/impact.md)"}}},
                {"before", str()},
                {"after", str()},
                {"scenarios", {{"type", "array"}, {"items", str()}}},
                {"strict", {{"type", "boolean"}}}}}}}}}}}}},
      {"responses",
       answers("ImpactSummary", "summary.json: orders, units and revenue by change kind and dimension")}};
  paths["/v1/admin/reload"]["post"] = {
      {"summary", "Reload rules and lists; a broken folder is refused and the old snapshot stays"},
      {"responses", {{"200", {{"description", "reloaded"}}}, {"422", {{"description", "refused"}}}}}};
  paths["/healthz"]["get"] = {
      {"summary", "Liveness, and the versions answering"},
      {"responses",
       {{"200", {{"description", "up"}, {"content", {{"application/json", {{"schema", ref("Health")}}}}}}}}}};
  paths["/metrics"]["get"] = {{"summary", "Prometheus metrics"},
                              {"responses", {{"200", {{"description", "text format 0.0.4"}}}}}};
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "exportctl"},
        {"version", engine::version()},
        {"description",
         "Export-control engine for AI compute: classify, check, screen, with an audit log."}}},
      {"components",
       {{"schemas", schemas}, {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", {{{"bearer", json::array()}}}},
      {"paths", paths}};
}

}  // namespace exportctl::server
