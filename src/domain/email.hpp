#pragma once
// Email addresses as the original accepts them: pydantic's EmailStr, i.e. email-validator's
// syntax check without a deliverability (DNS) check.

#include <optional>
#include <string>
#include <string_view>

namespace fruitpak::domain {

// Returns the normalized address, or nullopt if `input` is not a valid address.
//
// Surrounding whitespace is stripped (as EmailStr does). Valid means: exactly one '@'; a local
// part of 1..64 characters of the RFC 5322 dot-atom set (no quoted strings, no leading,
// trailing or doubled dot); a domain of at least two dot-separated labels of 1..63 characters
// of [A-Za-z0-9-], none starting or ending with '-', ending in a letter (every TLD does), not
// a special-use name (arpa, invalid, local, localhost, onion, test, or under them); at most
// 254 characters in all.
//
// Normalized: the domain lowercased, the local part exactly as typed. Part of what is stored
// in users.email and looked up on login, so changing it changes who can log in.
//
// Unlike email-validator, non-ASCII addresses (internationalized local parts and domains)
// are refused, and "xn--" labels are not checked to be valid Punycode.
std::optional<std::string> normalize_email(std::string_view input);

}  // namespace fruitpak::domain
