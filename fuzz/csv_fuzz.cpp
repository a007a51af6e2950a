// Fuzzes the CSV reader: any bytes give rows or an InputError naming a line.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    exportctl::CsvReader csv(in, "fuzz.csv");
    std::vector<std::string> row;
    while (csv.next(row)) (void)exportctl::csv_escape(row.empty() ? "" : row[0]);
  } catch (const exportctl::InputError&) {
  }
  return 0;
}
