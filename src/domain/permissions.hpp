#pragma once
// Roles and permissions as the contract gives them (fruitpak-api.md section 5): a fixed
// catalogue of 29 permission strings, per-role defaults, and per-user overrides.
// Pure functions; safe for concurrent use.
//
// Permission strings and role values are visible outside the process: they appear in
// JWT claims, in `users.custom_permissions` and in API bodies.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::domain {

enum class Role { kAdministrator, kSupervisor, kOperator };

// Accepts the API values "administrator" | "supervisor" | "operator" and the original's
// stored enum member names "ADMINISTRATOR" | "SUPERVISOR" | "OPERATOR". Nothing else
// (no other casing, no surrounding whitespace).
std::optional<Role> parse_role(std::string_view text);

// The lowercase API value ("administrator", ...).
std::string_view to_string(Role role);

// All 29 permission strings, sorted. The reference stays valid for the process lifetime.
const std::vector<std::string>& permission_catalogue();

// The role's default permissions (administrator 29, supervisor 17, operator 9), sorted.
std::vector<std::string> default_permissions(Role role);

// The role defaults adjusted by a user's overrides: `true` adds, `false` removes. Names
// not in the catalogue are ignored. Sorted and without duplicates.
std::vector<std::string> resolve_permissions(Role role,
                                             const std::map<std::string, bool>& overrides);

// The entries of `required` that are not in `granted`, in the order of `required`.
// Matching is exact string equality: there are no wildcards ("*" grants nothing).
std::vector<std::string> missing_permissions(const std::vector<std::string>& granted,
                                             const std::vector<std::string>& required);

}  // namespace fruitpak::domain
