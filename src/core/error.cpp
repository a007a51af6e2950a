#include "core/error.h"

namespace exportctl {

std::string location(const std::string& file, int line) {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line);
}

}  // namespace exportctl
