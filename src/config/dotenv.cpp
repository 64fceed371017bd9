// The `.env` reader. Hand-written because Debian packages no C++ dotenv library; it
// follows python-dotenv (which the original system read its `.env` with) for the forms
// that file uses: KEY=VALUE, `export `, # comments, single and double quotes. Variable
// interpolation (${VAR}) and multi-line quoted values are not supported.

#include "config/config.hpp"

#include <optional>
#include <string_view>

namespace fruitpak::config {
namespace {

using Pairs = std::map<std::string, std::string>;

constexpr std::string_view kBlank = " \t\r\f\v";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kBlank);
  return s.substr(first, last - first + 1);
}

bool is_valid_key(std::string_view key) {
  const auto is_alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (key.empty() || !is_alpha(key.front())) return false;
  for (char c : key) {
    if (!is_alpha(c) && !is_digit(c)) return false;
  }
  return true;
}

// After a closing quote only blanks and a # comment may follow.
std::optional<std::string> check_after_quote(std::string_view rest) {
  rest = trim(rest);
  if (rest.empty() || rest.front() == '#') return std::nullopt;
  return "unexpected text after the closing quote";
}

// `text` starts just after the opening '"'. Supports \n \t \r \" \\; any other escape is
// kept as written, as python-dotenv does.
std::optional<std::string> parse_double_quoted(std::string_view text, std::string& out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') return check_after_quote(text.substr(i + 1));
    if (c != '\\' || i + 1 == text.size()) {
      out += c;
      continue;
    }
    const char next = text[++i];
    switch (next) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      default: out += '\\'; out += next; break;
    }
  }
  return "unterminated double-quoted value";
}

// An unquoted value ends at a '#' that follows a blank (so `a#b` keeps its '#'), and is
// trimmed. `raw` is everything after '=', untrimmed, so `KEY= # note` is empty.
std::string parse_unquoted(std::string_view raw) {
  for (std::size_t i = 1; i < raw.size(); ++i) {
    if (raw[i] == '#' && (raw[i - 1] == ' ' || raw[i - 1] == '\t')) {
      raw = raw.substr(0, i);
      break;
    }
  }
  return std::string(trim(raw));
}

// Parses the text after '='. Returns an error description, or nullopt with `out` set.
std::optional<std::string> parse_value(std::string_view raw, std::string& out) {
  const std::string_view value = trim(raw);
  if (value.starts_with('\'')) {
    const auto close = value.find('\'', 1);
    if (close == std::string_view::npos) return "unterminated single-quoted value";
    out = std::string(value.substr(1, close - 1));
    return check_after_quote(value.substr(close + 1));
  }
  if (value.starts_with('"')) return parse_double_quoted(value.substr(1), out);
  out = parse_unquoted(raw);
  return std::nullopt;
}

// Parses one line into `pairs`. Returns an error description without the line prefix.
// Error text never repeats the value: a malformed line may hold a secret.
std::optional<std::string> parse_line(std::string_view line, Pairs& pairs) {
  line = trim(line);
  if (line.empty() || line.front() == '#') return std::nullopt;
  if (line.starts_with("export") && line.size() > 6 && (line[6] == ' ' || line[6] == '\t')) {
    line = trim(line.substr(6));
  }
  const auto eq = line.find('=');
  if (eq == std::string_view::npos) return "expected KEY=VALUE";
  const std::string_view key = trim(line.substr(0, eq));
  if (!is_valid_key(key)) {
    return "invalid variable name; expected letters, digits and '_', not starting with a digit";
  }
  std::string value;
  if (auto error = parse_value(line.substr(eq + 1), value)) return error;
  pairs[std::string(key)] = std::move(value);  // a later line wins, as in a shell
  return std::nullopt;
}

}  // namespace

std::variant<std::map<std::string, std::string>, std::string> parse_dotenv(const std::string& text) {
  std::string_view rest = text;
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // UTF-8 byte order mark
  Pairs pairs;
  int line_number = 0;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    ++line_number;
    if (auto error = parse_line(line, pairs)) {
      return ".env line " + std::to_string(line_number) + ": " + *error;
    }
  }
  return pairs;
}

}  // namespace fruitpak::config
