#pragma once
// Plain-text tables for terminal output (UTF-8 aware column widths).

#include <string>
#include <vector>

namespace exportctl::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of a UTF-8 string (code points; East Asian wide characters count 2).
std::size_t display_width(const std::string& s);

}  // namespace exportctl::cli
