// Fuzzes the CSV readers: any bytes give rows or an InputError naming a line,
// and the in-memory block reader the batch pipeline uses (CsvTextReader)
// reads exactly what the stream reader reads, row for row and error for error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/error.h"

namespace {

// One reader's next result: a row, an error message, or the end.
struct Step {
  bool end = false;
  std::string error;
  std::vector<std::string> row;
  int line = 0;
  bool operator==(const Step& o) const {
    return end == o.end && error == o.error && row == o.row && (end || line == o.line);
  }
};

template <typename Reader>
Step step(Reader& reader) {
  Step s;
  try {
    s.end = !reader.next(s.row);
    s.line = reader.line();
  } catch (const exportctl::InputError& e) {
    s.error = e.what();
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  std::vector<std::string> header;
  int first_line = 0;
  try {
    exportctl::CsvReader csv(in, "fuzz.csv");
    header = csv.header();
    first_line = csv.line() + 1;
    std::vector<std::string> row;
    while (csv.next(row)) (void)exportctl::csv_escape(row.empty() ? "" : row[0]);
  } catch (const exportctl::InputError&) {
    return 0;
  }
  // The records after the header, cut at a record boundary as the pipeline cuts blocks.
  std::istringstream again(text);
  exportctl::CsvReader head(again, "fuzz.csv");
  std::string rest((std::istreambuf_iterator<char>(again)), {});
  rest.resize(exportctl::csv_record_boundary(rest));
  std::istringstream block(rest);
  exportctl::CsvReader stream_reader(block, "fuzz.csv", header, first_line);
  exportctl::CsvTextReader text_reader(rest, "fuzz.csv", header.size(), first_line);
  for (;;) {
    const Step a = step(stream_reader);
    const Step b = step(text_reader);
    if (!(a == b)) std::abort();  // the two readers disagree
    if (a.end || !a.error.empty()) break;
  }
  return 0;
}
