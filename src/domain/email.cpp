#include "domain/email.hpp"

#include <array>
#include <cstddef>

namespace fruitpak::domain {
namespace {

constexpr std::size_t kMaxAddressLength = 254;
constexpr std::size_t kMaxLocalLength = 64;
constexpr std::size_t kMaxDomainLength = 255;
constexpr std::size_t kMaxLabelLength = 63;

// email-validator's SPECIAL_USE_DOMAIN_NAMES (IANA special-use names it rejects).
constexpr std::array<std::string_view, 6> kSpecialUseDomains = {"arpa",      "invalid", "local",
                                                                "localhost", "onion",   "test"};

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Python's str.strip() for the ASCII whitespace an address can carry.
std::string_view strip(std::string_view s) {
  constexpr std::string_view kWhitespace = " \t\n\r\f\v";
  const auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

// RFC 5322 atext.
bool is_atext(char c) {
  return is_ascii_alpha(c) || is_ascii_digit(c) ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// dot-atom: atext runs separated by single dots, none at either end.
bool is_valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > kMaxLocalLength) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  char previous = '\0';
  for (char c : local) {
    if (c == '.' ? previous == '.' : !is_atext(c)) return false;
    previous = c;
  }
  return true;
}

// Requires: `label` is lowercase.
bool is_valid_label(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelLength) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '-') return false;
  }
  // RFC 5890 reserves "??--" labels for IDNA; only Punycode's "xn--" may use them.
  return !(label.size() >= 4 && label.substr(2, 2) == "--" && label.substr(0, 2) != "xn");
}

bool is_special_use(std::string_view lower_domain) {
  for (std::string_view name : kSpecialUseDomains) {
    if (lower_domain == name) return true;
    if (lower_domain.size() > name.size() && lower_domain.ends_with(name) &&
        lower_domain[lower_domain.size() - name.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

// Requires: `lower_domain` is lowercase.
bool is_valid_domain(std::string_view lower_domain) {
  if (lower_domain.empty() || lower_domain.size() > kMaxDomainLength) return false;
  if (lower_domain.find('.') == std::string_view::npos) return false;
  std::string_view rest = lower_domain;
  while (true) {
    const auto dot = rest.find('.');
    if (!is_valid_label(rest.substr(0, dot))) return false;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return is_ascii_alpha(lower_domain.back()) && !is_special_use(lower_domain);
}

}  // namespace

std::optional<std::string> normalize_email(std::string_view input) {
  const std::string_view address = strip(input);
  const auto at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view local = address.substr(0, at);
  std::string domain(address.substr(at + 1));
  for (char& c : domain) c = to_lower(c);
  if (!is_valid_local_part(local) || !is_valid_domain(domain)) return std::nullopt;
  if (address.size() > kMaxAddressLength) return std::nullopt;
  std::string normalized;
  normalized.reserve(address.size());
  normalized.append(local).append(1, '@').append(domain);
  return normalized;
}

}  // namespace fruitpak::domain
