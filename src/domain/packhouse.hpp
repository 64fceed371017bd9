#pragma once
// Packhouses and growers of a tenant (contract 2.4, 2.5, 11.9).

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::domain {

struct Packhouse {
  std::string id;
  std::string name;
  std::optional<std::string> location;
  std::optional<std::int64_t> capacity_tons_per_day;
  std::optional<std::int64_t> cold_rooms;
  std::string created_at;
};

struct Grower {
  std::string id;
  std::string name;
  std::optional<std::string> grower_code;
  std::optional<std::string> contact_person;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> region;
  std::optional<double> total_hectares;
  std::optional<double> estimated_volume_tons;
  bool globalg_ap_certified = false;
  std::optional<std::string> globalg_ap_number;
  std::optional<std::string> fields_json;  // JSON array of {name, hectares?, fruit_type?}
  std::optional<std::string> notes;
  std::optional<std::string> packhouse_id;
  bool is_active = true;
  std::string created_at;
};

}  // namespace fruitpak::domain
