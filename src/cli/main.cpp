// exportctl command line: parses flags with CLI11 and dispatches to one
// function per command. Exit status: 0 success, 2 bad input (one line on
// stderr naming the file, line or flag), 3 an answer that is UNDETERMINED
// (printed on stdout, naming what is missing), 1 internal error.

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "engine/engine.h"

int main(int argc, char** argv) {
  using namespace exportctl;
  CLI::App app{"exportctl — export-control engine for AI compute (ECCN 3A090/4A090)", "exportctl"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("exportctl ") + engine::version());
  engine::Config global;
  app.add_option("--rules", global.rules_dir, "rules folder (default: bundled rules)");
  app.add_option("--catalog", global.catalog_dir, "chip catalog folder (default: bundled data/chips)");
  app.add_option("--data-dir", global.data_dir, "folder for list snapshots, adjudications and the audit log");
  app.add_option("--tf32", global.tf32,
                 "bit length reading for TF32: exclude (default), significant-bits, container");

  // rules
  auto* rules_cmd = app.add_subcommand("rules", "show or check rule data");
  rules_cmd->require_subcommand(1);
  std::string rules_date;
  bool rules_json = false;
  auto* rules_list = rules_cmd->add_subcommand("list", "rule versions (in force on --date, or all)");
  rules_list->add_option("--date", rules_date, "YYYY-MM-DD");
  rules_list->add_flag("--json", rules_json, "JSON output");
  rules_list->add_option("--scenario", global.scenarios,
                         "what-if scenario file loaded over the rules (repeatable)");
  std::string validate_dir;
  std::vector<std::string> validate_scenarios;
  auto* rules_validate =
      rules_cmd->add_subcommand("validate", "check a rules folder, and scenario files against it");
  rules_validate->add_option("DIR", validate_dir, "rules folder")->required();
  rules_validate->add_option("--scenario", validate_scenarios, "what-if scenario file (repeatable)");
  rules_validate->add_flag("--json", rules_json, "JSON output");

  // chips
  auto* chips_cmd = app.add_subcommand("chips", "the bundled chip catalog");
  chips_cmd->require_subcommand(1);
  bool chips_json = false;
  std::string chip_id;
  auto* chips_list = chips_cmd->add_subcommand("list", "list catalog chips");
  chips_list->add_flag("--json", chips_json, "JSON output");
  auto* chips_show = chips_cmd->add_subcommand("show", "figures and sources of one chip");
  chips_show->add_option("ID", chip_id, "chip id")->required();
  chips_show->add_flag("--json", chips_json, "JSON output");

  // classify
  cli::ClassifyOptions classify_options;
  auto* classify_cmd =
      app.add_subcommand("classify", "classify a chip or spec under 3A090/4A090 as of a date");
  classify_cmd->add_option("--chip", classify_options.chip, "catalog chip id");
  classify_cmd->add_option("--spec", classify_options.spec, "spec file (JSON or YAML)");
  classify_cmd->add_flag("--all", classify_options.all, "classify the whole catalog");
  classify_cmd->add_option("--date", classify_options.date, "YYYY-MM-DD");
  classify_cmd->add_flag("--timeline", classify_options.timeline,
                         "classification at every rule boundary since 2022-10-01");
  classify_cmd->add_flag("--json", classify_options.json, "JSON output");
  classify_cmd->add_option(
      "--scenario", global.scenarios,
      "what-if scenario file loaded over the rules (repeatable; answers are hypothetical)");
  classify_cmd->add_option("--format", classify_options.format, "table, csv or json (with --all)");

  // ---- screening (issue 4): screen, lists ----
  cli::ScreenCommandOptions screen_options;
  auto* screen_cmd = app.add_subcommand("screen", "screen a party name against restricted-party lists");
  auto* screen_name = screen_cmd->add_option("NAME", screen_options.name, "party name (any script)");
  screen_cmd->add_option("--country", screen_options.country, "ISO 3166 alpha-2 country (optional evidence)");
  screen_cmd->add_option("--threshold", screen_options.threshold, "minimum score, 0 to 1 (default 0.80)");
  screen_cmd->add_flag("--json", screen_options.json, "JSON output");
  screen_cmd->add_option("--file", screen_options.file, "batch: CSV of parties");
  screen_cmd->add_option("--name-column", screen_options.name_column,
                         "batch: column with the names (default name)");
  screen_cmd->add_option("--country-column", screen_options.country_column,
                         "batch: column with ISO country codes");
  screen_cmd->add_option("--out", screen_options.out, "batch: output file (default stdout)");
  screen_cmd->add_option("--format", screen_options.format, "batch: csv (default) or jsonl");
  screen_cmd->add_option("--delta", screen_options.delta, "OLD NEW: re-screen --file against what changed")
      ->expected(2);
  screen_cmd->add_option("--adjudications", global.adjudications,
                         "accepted false positives (default DATA_DIR/adjudications.csv)");
  screen_cmd->add_option("--limit", screen_options.limit, "most matches per name (default 20)");
  screen_cmd->add_option("--threads", screen_options.threads, "batch threads (default: all cores)");
  screen_cmd->add_flag("--progress{1},--no-progress{0}", screen_options.progress,
                       "batch: progress bar on stderr");
  auto* lists_cmd = app.add_subcommand("lists", "restricted-party list snapshots");
  lists_cmd->require_subcommand(1);
  std::vector<std::string> lists_files;
  std::string lists_url, lists_sha256, lists_before, lists_after;
  bool lists_json = false;
  auto* lists_import = lists_cmd->add_subcommand("import", "build a new snapshot from list files");
  lists_import->add_option("FILE", lists_files, "CSL CSV/JSON, OFAC sdn.csv, BIS DPL, ...")->required();
  auto* lists_fetch = lists_cmd->add_subcommand("fetch", "download the Consolidated Screening List");
  lists_fetch->add_option("--url", lists_url, "download address (default: trade.gov CSL CSV)");
  lists_fetch->add_option("--sha256", lists_sha256, "expected SHA-256 of the download");
  auto* lists_diff = lists_cmd->add_subcommand("diff", "added, removed and changed entries");
  lists_diff->add_option("OLD", lists_before, "snapshot version, list file or folder")->required();
  lists_diff->add_option("NEW", lists_after, "snapshot version, list file or folder")->required();
  lists_diff->add_flag("--json", lists_json, "JSON output");
  auto* lists_status = lists_cmd->add_subcommand("status", "the snapshot in use");
  lists_status->add_flag("--json", lists_json, "JSON output");
  // ---- end screening ----

  // check
  cli::CheckOptions check_options;
  auto* check_cmd =
      app.add_subcommand("check", "may this item go to this party in this country on this date?");
  check_cmd->add_option("--chip", check_options.chip, "catalog chip id");
  check_cmd->add_option("--spec", check_options.spec, "spec file (JSON or YAML)");
  check_cmd->add_option("--to", check_options.to,
                        "destination country (ISO 3166 code; HK is evaluated as CN)");
  check_cmd->add_option("--date", check_options.date, "YYYY-MM-DD");
  check_cmd->add_option("--hq", check_options.hq,
                        "country of the end user's (ultimate parent's) headquarters; default --to");
  check_cmd->add_option("--party", check_options.parties, "party name to screen (repeatable)");
  check_cmd->add_option("--owner", check_options.owners,
                        "owner of the end user as NAME=PERCENT, screened like a party (repeatable)");
  check_cmd->add_option("--end-use", check_options.end_use, "supercomputer, advanced-ic or none (default)");
  check_cmd->add_option("--export-from", check_options.export_from, "country exported from (default US)");
  check_cmd->add_option("--adjudications", global.adjudications,
                        "accepted false positives (default DATA_DIR/adjudications.csv)");
  check_cmd->add_flag("--json", check_options.json, "JSON output");
  check_cmd->add_option("--scenario", global.scenarios,
                        "what-if scenario file loaded over the rules (repeatable; answers are hypothetical)");
  check_cmd->add_flag("--timeline", check_options.timeline,
                      "decision at every rule boundary since 2022-10-01");
  check_cmd->add_flag("--apply-ai-diffusion", check_options.apply_ai_diffusion,
                      "treat the AI Diffusion rule (not enforced since 2025-05-13) as in force");
  check_cmd->add_option("--file", check_options.file,
                        "batch: transactions CSV (chip,to,date[,hq,party,owners,end_use,export_from])");
  check_cmd->add_option("--out", check_options.out, "batch: decisions CSV to write");
  check_cmd->add_option("--threads", check_options.threads, "batch: worker threads (default: all cores)");
  check_cmd->add_flag("--progress{1},--no-progress{0}", check_options.progress,
                      "batch: progress bar on stderr");
  check_cmd->add_option("--audit", check_options.audit,
                        "record each decision in this audit log (sqlite:PATH or postgresql://...)");

  // impact
  cli::ImpactOptions impact_options;
  auto* impact_cmd = app.add_subcommand(
      "impact", "which orders and how much revenue a rule change (or a what-if scenario) blocks or frees");
  impact_cmd
      ->add_option("--orders", impact_options.orders,
                   "order book CSV (order_id,item,quantity,unit_price,currency,destination,end_user,hq,"
                   "ship_date,export_from[,owners,end_use])")
      ->required();
  impact_cmd->add_option("--before", impact_options.before, "rules as of this date (YYYY-MM-DD)")->required();
  impact_cmd->add_option("--after", impact_options.after, "against the rules as of this date")->required();
  impact_cmd->add_option("--scenario", impact_options.scenarios,
                         "what-if rule file applied to the --after side (repeatable; docs/impact.md)");
  impact_cmd->add_option("--out", impact_options.out,
                         "folder for summary.json, changes.csv and report.html (written all or nothing)");
  impact_cmd->add_flag("--strict", impact_options.strict,
                       "stop at the first bad row (exit 2, nothing written)");
  impact_cmd->add_flag("--json", impact_options.json, "print summary.json instead of the table");
  impact_cmd->add_option("--threads", impact_options.threads, "worker threads (default: all cores)");
  impact_cmd->add_flag("--progress{1},--no-progress{0}", impact_options.progress, "progress bar on stderr");

  // serve, keys, audit
  cli::ServeOptions serve_options;
  auto* serve_cmd = app.add_subcommand("serve", "HTTP JSON API over the engine, with an audit log");
  serve_cmd->add_option("--listen", serve_options.listen,
                        "HOST:PORT (default 127.0.0.1:8080; port 0 = any free)");
  serve_cmd->add_option("--audit", serve_options.audit,
                        "audit log: sqlite:PATH or postgresql://... (default off)");
  serve_cmd->add_flag("--no-auth", serve_options.no_auth, "no API keys (allowed on a loopback address only)");
  serve_cmd->add_option("--keys", serve_options.keys, "API key file (default DATA_DIR/keys.csv)");
  serve_cmd->add_option("--threads", serve_options.threads,
                        "request workers, one per open connection (default 64)");
  serve_cmd->add_option("--max-body", serve_options.max_body,
                        "largest request body in bytes (default 1 MiB)");
  serve_cmd->add_option("--ready-file", serve_options.ready_file, "write HOST:PORT here once listening");
  auto* keys_cmd = app.add_subcommand("keys", "API keys for exportctl serve");
  keys_cmd->require_subcommand(1);
  std::string key_name, keys_file;
  auto* keys_add = keys_cmd->add_subcommand("add", "create a key: prints its token once, stores its hash");
  keys_add->add_option("NAME", key_name, "who the key is for (recorded as the caller)")->required();
  keys_add->add_option("--keys", keys_file, "key file (default DATA_DIR/keys.csv)");
  auto* audit_cmd = app.add_subcommand("audit", "the tamper-evident audit log");
  audit_cmd->require_subcommand(1);
  std::string audit_spec, audit_head, audit_from, audit_to, audit_out;
  bool audit_json = false;
  auto* audit_verify = audit_cmd->add_subcommand("verify", "walk the hash chain; name the first bad record");
  audit_verify->add_option("--audit", audit_spec, "sqlite:PATH or postgresql://...")->required();
  audit_verify->add_option("--expect-head", audit_head, "SEQ:HASH the log must end at (detects truncation)");
  audit_verify->add_flag("--json", audit_json, "JSON output");
  auto* audit_export = audit_cmd->add_subcommand("export", "records as JSON lines");
  audit_export->add_option("--audit", audit_spec, "sqlite:PATH or postgresql://...")->required();
  audit_export->add_option("--from", audit_from, "first date (YYYY-MM-DD), inclusive");
  audit_export->add_option("--to", audit_to, "last date, inclusive");
  audit_export->add_option("--out", audit_out, "output file (default stdout)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "exportctl: error: " << e.what() << "\n";
    return cli::kExitBadInput;
  }

  try {
    cli::App context(global);
    if (*rules_cmd) {
      if (*rules_list) return cli::rules_list(context, rules_date, rules_json, std::cout);
      if (*rules_validate)
        return cli::rules_validate(validate_dir, validate_scenarios, rules_json, std::cout);
    }
    if (*chips_cmd) {
      if (*chips_list) return cli::chips_list(context, chips_json, std::cout);
      if (*chips_show) return cli::chips_show(context, chip_id, chips_json, std::cout);
    }
    if (*classify_cmd) return cli::classify(context, classify_options, std::cout);
    if (*check_cmd) return cli::check(context, check_options, std::cout);
    if (*impact_cmd) return cli::impact(context, impact_options, std::cout);
    if (*serve_cmd) return cli::serve(context, serve_options, std::cout);
    if (*keys_cmd) return cli::keys_add(context, key_name, keys_file, std::cout);
    if (*audit_cmd) {
      if (*audit_verify) return cli::audit_verify(audit_spec, audit_head, audit_json, std::cout);
      if (*audit_export) return cli::audit_export(audit_spec, audit_from, audit_to, audit_out, std::cout);
    }
    // ---- screening (issue 4) ----
    if (*screen_cmd) {
      screen_options.name_given = screen_name->count() > 0;
      return cli::screen(context, screen_options, std::cout);
    }
    if (*lists_cmd) {
      if (*lists_import) return cli::lists_import(context, lists_files, std::cout);
      if (*lists_fetch) return cli::lists_fetch(context, lists_url, lists_sha256, std::cout);
      if (*lists_diff) return cli::lists_diff(context, lists_before, lists_after, lists_json, std::cout);
      if (*lists_status) return cli::lists_status(context, lists_json, std::cout);
    }
  } catch (const InputError& e) {
    // Request fields are named by the engine; say which flag they came from.
    const std::string where = cli::flag_for_field(e.where());
    std::cerr << "exportctl: error: " << (where.empty() ? "" : where + ": ") << e.message() << "\n";
    return cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "exportctl: internal error: " << e.what() << "\n";
    return cli::kExitInternal;
  }
  return cli::kExitOk;
}
