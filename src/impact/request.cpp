// Impact analysis asked as JSON: the order book and scenario files arrive as
// text. Scenario texts are written to a private temporary folder (the rules
// loader reads files) that is removed afterwards; errors are renamed from
// those files and the order book's name to the request's JSON fields.

#include <filesystem>
#include <random>
#include <sstream>

#include "core/error.h"
#include "core/files.h"
#include "impact/impact.h"

namespace exportctl::impact {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kOrdersSource = "orders";

class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("exportctl-impact-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const std::string& text_field(const json& body, const char* key) {
  if (!body.contains(key)) throw InputError(key, "is required");
  if (!body[key].is_string()) throw InputError(key, "must be a string");
  return body[key].get_ref<const std::string&>();
}

// "SOURCE:LINE" (or "SOURCE") -> "line LINE: " for a message under a field.
std::string line_prefix(const std::string& where, const std::string& source) {
  if (where.size() > source.size() + 1 && where.compare(0, source.size() + 1, source + ":") == 0)
    return "line " + where.substr(source.size() + 1) + ": ";
  return "";
}

}  // namespace

json analyse_request(const std::shared_ptr<const engine::Snapshot>& snapshot, const json& body) {
  if (!body.is_object()) throw InputError("", "the request must be a JSON object");
  for (const auto& [key, value] : body.items())
    if (key != "orders" && key != "before" && key != "after" && key != "scenarios" && key != "strict")
      throw InputError(key, "unknown field (known: orders, before, after, scenarios, strict)");
  const std::string& orders = text_field(body, "orders");
  Options options;
  options.before = engine::parse_date(*snapshot, text_field(body, "before"), "before");
  options.after = engine::parse_date(*snapshot, text_field(body, "after"), "after");
  options.threads = 1;
  if (body.contains("strict")) {
    if (!body["strict"].is_boolean()) throw InputError("strict", "must be true or false");
    options.strict = body["strict"].get<bool>();
  }
  std::shared_ptr<const engine::Snapshot> after = snapshot;
  if (body.contains("scenarios")) {
    const json& scenarios = body["scenarios"];
    if (!scenarios.is_array()) throw InputError("scenarios", "must be an array of scenario file texts");
    ScratchDir dir;
    std::vector<std::string> files;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      if (!scenarios[i].is_string())
        throw InputError("scenarios[" + std::to_string(i) + "]", "must be a string (a scenario file's text)");
      files.push_back((dir.path() / ("scenario-" + std::to_string(i) + ".yaml")).string());
      write_file_atomically(files.back(), scenarios[i].get<std::string>());
    }
    try {
      if (!files.empty()) after = engine::Snapshot::with_scenarios(snapshot, files);
    } catch (const InputError& e) {
      for (std::size_t i = 0; i < files.size(); ++i)
        if (e.where().rfind(files[i], 0) == 0)
          throw InputError("scenarios[" + std::to_string(i) + "]",
                           line_prefix(e.where(), files[i]) + e.message());
      throw;
    }
  }
  std::istringstream in(orders);
  std::ostringstream changes;  // the rows are not returned: the summary is the answer
  try {
    return analyse(snapshot, after, in, kOrdersSource, changes, options);
  } catch (const InputError& e) {
    if (e.where().rfind(kOrdersSource, 0) == 0)
      throw InputError("orders", line_prefix(e.where(), kOrdersSource) + e.message());
    throw;
  }
}

}  // namespace exportctl::impact
