#include "domain/account.hpp"

namespace fruitpak::domain {

std::string tenant_schema_for(const std::string& enterprise_id) {
  std::string hex;
  for (char c : enterprise_id) {
    if (c != '-') hex += c;
    if (hex.size() == 12) break;
  }
  return "tenant_" + hex;
}

}  // namespace fruitpak::domain
