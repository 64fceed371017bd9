#include "util/etag.hpp"

#include "util/crypto.hpp"

namespace fruitpak::util {

std::string etag_of(std::string_view body) {
  std::string tag;
  tag.reserve(34);
  tag.append(1, '"').append(util::md5_hex(body)).append(1, '"');
  return tag;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (etag.empty()) return false;
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    auto tag = if_none_match.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace fruitpak::util
