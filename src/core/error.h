#pragma once
// Errors caused by what a user gave us (a file, a flag, a field). They carry
// the place ("rules/cls-2023.yaml:14: field 'when'") so the CLI can print one
// line and exit with status 2. Programming errors are not InputErrors.

#include <stdexcept>
#include <string>

namespace exportctl {

class InputError : public std::runtime_error {
 public:
  InputError(std::string where, const std::string& message)
      : std::runtime_error(where.empty() ? message : where + ": " + message),
        where_(std::move(where)),
        message_(message) {}

  const std::string& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  std::string where_;
  std::string message_;
};

// "file:line" or "file" when the line is unknown (0).
std::string location(const std::string& file, int line);

}  // namespace exportctl
