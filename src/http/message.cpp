#include "http/message.hpp"

namespace fruitpak::http {

std::optional<std::string_view> Request::query(std::string_view name) const {
  for (const auto& [key, value] : query_params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return {};
}

std::string_view Request::header(std::string_view name) const {
  auto it = message.find(name);
  return it == message.end() ? std::string_view() : std::string_view(it->value());
}

std::string_view Request::bearer_token() const {
  const auto value = header("Authorization");
  if (value.size() > 7 && (value.starts_with("Bearer ") || value.starts_with("bearer "))) return value.substr(7);
  return {};
}

}  // namespace fruitpak::http
