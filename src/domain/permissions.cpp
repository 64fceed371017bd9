#include "domain/permissions.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>

namespace fruitpak::domain {
namespace {

// Role bit masks for the defaults table.
constexpr std::uint8_t kAdmin = 1;
constexpr std::uint8_t kSuper = 2;
constexpr std::uint8_t kOper = 4;

struct CatalogueEntry {
  std::string_view name;
  std::uint8_t roles;  // which roles have it by default
};

// The contract's table, sorted by name (checked by the unit tests through
// permission_catalogue()). Administrators hold every permission.
constexpr std::array<CatalogueEntry, 29> kCatalogue{{
    {"batch.delete", kAdmin},
    {"batch.read", kAdmin | kSuper | kOper},
    {"batch.write", kAdmin | kSuper | kOper},
    {"enterprise.delete", kAdmin},
    {"enterprise.manage", kAdmin},
    {"export.delete", kAdmin},
    {"export.read", kAdmin | kSuper},
    {"export.write", kAdmin | kSuper},
    {"financials.read", kAdmin},
    {"financials.write", kAdmin},
    {"grower.delete", kAdmin},
    {"grower.read", kAdmin | kSuper | kOper},
    {"grower.write", kAdmin | kSuper},
    {"lot.delete", kAdmin},
    {"lot.read", kAdmin | kSuper | kOper},
    {"lot.write", kAdmin | kSuper | kOper},
    {"packhouse.delete", kAdmin},
    {"packhouse.read", kAdmin | kSuper | kOper},
    {"packhouse.write", kAdmin | kSuper},
    {"pallet.delete", kAdmin},
    {"pallet.read", kAdmin | kSuper | kOper},
    {"pallet.write", kAdmin | kSuper | kOper},
    {"reports.export", kAdmin | kSuper},
    {"reports.read", kAdmin | kSuper},
    {"storage.read", kAdmin | kSuper | kOper},
    {"storage.write", kAdmin | kSuper},
    {"users.delete", kAdmin},
    {"users.read", kAdmin | kSuper},
    {"users.write", kAdmin},
}};

std::uint8_t role_bit(Role role) {
  switch (role) {
    case Role::kAdministrator: return kAdmin;
    case Role::kSupervisor: return kSuper;
    case Role::kOperator: return kOper;
  }
  return 0;
}

bool is_known_permission(std::string_view name) {
  return std::any_of(kCatalogue.begin(), kCatalogue.end(),
                     [name](const CatalogueEntry& e) { return e.name == name; });
}

}  // namespace

std::optional<Role> parse_role(std::string_view text) {
  if (text == "administrator" || text == "ADMINISTRATOR") return Role::kAdministrator;
  if (text == "supervisor" || text == "SUPERVISOR") return Role::kSupervisor;
  if (text == "operator" || text == "OPERATOR") return Role::kOperator;
  return std::nullopt;
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kAdministrator: return "administrator";
    case Role::kSupervisor: return "supervisor";
    case Role::kOperator: return "operator";
  }
  return "operator";
}

const std::vector<std::string>& permission_catalogue() {
  static const std::vector<std::string> catalogue = [] {
    std::vector<std::string> names;
    names.reserve(kCatalogue.size());
    for (const auto& e : kCatalogue) names.emplace_back(e.name);
    std::sort(names.begin(), names.end());
    return names;
  }();
  return catalogue;
}

std::vector<std::string> default_permissions(Role role) {
  const std::uint8_t bit = role_bit(role);
  std::vector<std::string> names;
  for (const auto& e : kCatalogue) {
    if ((e.roles & bit) != 0) names.emplace_back(e.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> resolve_permissions(Role role,
                                             const std::map<std::string, bool>& overrides) {
  const auto defaults = default_permissions(role);
  std::set<std::string> granted(defaults.begin(), defaults.end());
  for (const auto& [name, is_granted] : overrides) {
    if (!is_known_permission(name)) continue;
    if (is_granted) {
      granted.insert(name);
    } else {
      granted.erase(name);
    }
  }
  return {granted.begin(), granted.end()};
}

std::vector<std::string> missing_permissions(const std::vector<std::string>& granted,
                                             const std::vector<std::string>& required) {
  std::vector<std::string> missing;
  for (const auto& name : required) {
    if (std::find(granted.begin(), granted.end(), name) == granted.end()) {
      missing.push_back(name);
    }
  }
  return missing;
}

}  // namespace fruitpak::domain
