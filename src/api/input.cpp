#include "api/input.hpp"

#include "api/openapi_schema.hpp"

#include <boost/json/serialize.hpp>

#include "domain/batch.hpp"
#include "domain/email.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>
#include <utility>

namespace fruitpak::api {
namespace json = boost::json;

namespace {

// Python's str.strip() for ASCII whitespace; pydantic strips numeric strings before parsing.
std::string_view strip(std::string_view s) {
  constexpr std::string_view kWhitespace = " \t\n\r\f\v";
  const auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

// Code points of valid UTF-8 (Boost.JSON has validated it): bytes that do not continue one.
std::size_t char_count(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

std::string plural(std::size_t n) { return n == 1 ? "" : "s"; }

// Bounds as pydantic prints its constraints: "0", "100", "0.5".
std::string format_number(double x) {
  if (std::trunc(x) == x && std::fabs(x) < 1e15) {
    return std::to_string(static_cast<std::int64_t>(x));
  }
  std::array<char, 32> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
  return std::string(buffer.data(), ec == std::errc() ? end : buffer.data());
}

http::FieldError string_too_long(std::vector<std::string> loc, std::size_t max_length) {
  return {std::move(loc),
          "String should have at most " + std::to_string(max_length) + " character" +
              plural(max_length),
          "string_too_long"};
}

enum class IntIssue { kNone, kType, kParsing, kFraction, kTooLarge, kTooSmall };

struct IntRead {
  std::int64_t value = 0;
  IntIssue issue = IntIssue::kNone;
};

// pydantic's str -> int: surrounding whitespace and a ".000" suffix are ignored, a sign is
// allowed, anything else ("1e3", "0x10", "1.5", "") is int_parsing.
IntRead int_from_text(std::string_view text) {
  text = strip(text);
  if (auto dot = text.find('.'); dot != std::string_view::npos &&
                                 text.find_first_not_of('0', dot + 1) == std::string_view::npos) {
    text = text.substr(0, dot);
  }
  bool is_negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    is_negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return {0, IntIssue::kParsing};
  }
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude);
  constexpr auto kMaxMagnitude =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (ec == std::errc::result_out_of_range || magnitude > kMaxMagnitude + (is_negative ? 1 : 0)) {
    return {0, is_negative ? IntIssue::kTooSmall : IntIssue::kTooLarge};
  }
  if (ec != std::errc() || end != text.data() + text.size()) return {0, IntIssue::kParsing};
  // Modular conversion (C++20) also gives INT64_MIN for a magnitude of 2^63.
  return {static_cast<std::int64_t>(is_negative ? 0 - magnitude : magnitude), IntIssue::kNone};
}

IntRead int_from_json(const json::value& v) {
  switch (v.kind()) {
    case json::kind::int64:
      return {v.get_int64(), IntIssue::kNone};
    case json::kind::uint64:
      if (v.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return {0, IntIssue::kTooLarge};
      }
      return {static_cast<std::int64_t>(v.get_uint64()), IntIssue::kNone};
    case json::kind::double_: {
      const double d = v.get_double();
      if (std::trunc(d) != d) return {0, IntIssue::kFraction};
      // 2^63 is the first double above every int64.
      if (d >= 9223372036854775808.0) return {0, IntIssue::kTooLarge};
      if (d < -9223372036854775808.0) return {0, IntIssue::kTooSmall};
      return {static_cast<std::int64_t>(d), IntIssue::kNone};
    }
    case json::kind::string:
      return int_from_text(v.get_string());
    default:
      return {0, IntIssue::kType};
  }
}

// Turns a read integer into a value or an error at `loc`.
std::optional<std::int64_t> checked_int(const IntRead& read, std::vector<std::string> loc,
                                        std::int64_t min, std::int64_t max,
                                        std::vector<http::FieldError>& errors) {
  auto fail = [&](std::string msg, std::string type) {
    errors.push_back({std::move(loc), std::move(msg), std::move(type)});
    return std::nullopt;
  };
  switch (read.issue) {
    case IntIssue::kType:
      return fail("Input should be a valid integer", "int_type");
    case IntIssue::kParsing:
      return fail("Input should be a valid integer, unable to parse string as an integer",
                  "int_parsing");
    case IntIssue::kFraction:
      return fail("Input should be a valid integer, got a number with a fractional part",
                  "int_from_float");
    case IntIssue::kTooSmall:
      break;
    case IntIssue::kTooLarge:
      return fail("Input should be less than or equal to " + std::to_string(max),
                  "less_than_equal");
    case IntIssue::kNone:
      if (read.value > max) {
        return fail("Input should be less than or equal to " + std::to_string(max),
                    "less_than_equal");
      }
      if (read.value >= min) return read.value;
      break;
  }
  return fail("Input should be greater than or equal to " + std::to_string(min),
              "greater_than_equal");
}

enum class NumberIssue { kNone, kType, kParsing, kNotFinite };

struct NumberRead {
  double value = 0;
  NumberIssue issue = NumberIssue::kNone;
};

NumberRead number_from_text(std::string_view text) {
  text = strip(text);
  if (text.starts_with('+')) text.remove_prefix(1);
  NumberRead read;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), read.value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return {0, NumberIssue::kParsing};
  }
  if (!std::isfinite(read.value)) return {0, NumberIssue::kNotFinite};
  return read;
}

NumberRead number_from_json(const json::value& v) {
  switch (v.kind()) {
    case json::kind::int64:
      return {static_cast<double>(v.get_int64()), NumberIssue::kNone};
    case json::kind::uint64:
      return {static_cast<double>(v.get_uint64()), NumberIssue::kNone};
    case json::kind::double_:
      return {v.get_double(), NumberIssue::kNone};
    case json::kind::string:
      return number_from_text(v.get_string());
    default:
      return {0, NumberIssue::kType};
  }
}

// pydantic's lax str -> bool words (compared case-insensitively).
std::optional<bool> bool_from_text(std::string_view text) {
  std::string lower;
  for (char c : text) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (std::string_view word : {"1", "on", "t", "true", "y", "yes"}) {
    if (lower == word) return true;
  }
  for (std::string_view word : {"0", "off", "f", "false", "n", "no"}) {
    if (lower == word) return false;
  }
  return std::nullopt;
}

// The last value of a query parameter, as FastAPI reads repeated scalar parameters.
std::optional<std::string_view> last_query_value(const http::Request& req, std::string_view name) {
  std::optional<std::string_view> found;
  for (const auto& [key, value] : req.query_params) {
    if (key == name) found = value;
  }
  return found;
}

}  // namespace

BodyReader::BodyReader(const json::object& body) : body_(body) {}

BodyReader::BodyReader(const json::object& body, std::vector<std::string> location)
    : body_(body), location_(std::move(location)) {}

std::vector<std::string> BodyReader::loc_of(std::string_view field, std::string item) const {
  std::vector<std::string> loc = location_;
  loc.emplace_back(field);
  if (!item.empty()) loc.push_back(std::move(item));
  return loc;
}

const json::value* BodyReader::find(std::string_view field) const {
  return body_.if_contains(field);
}

void BodyReader::add_error(std::vector<std::string> loc, std::string msg, std::string type) {
  errors_.push_back({std::move(loc), std::move(msg), std::move(type)});
}

std::optional<std::string> BodyReader::read_string(std::string_view field, const json::value& value,
                                                   std::size_t min_length, std::size_t max_length) {
  const json::string* text = value.if_string();
  if (text == nullptr) {
    add_error(loc_of(field), "Input should be a valid string", "string_type");
    return std::nullopt;
  }
  const std::size_t length = char_count(*text);
  if (length < min_length) {
    add_error(loc_of(field),
              "String should have at least " + std::to_string(min_length) + " character" +
                  plural(min_length),
              "string_too_short");
    return std::nullopt;
  }
  if (length > max_length) {
    errors_.push_back(string_too_long(loc_of(field), max_length));
    return std::nullopt;
  }
  return std::string(*text);
}

std::string BodyReader::required_string(std::string_view field, std::size_t max_length,
                                        std::size_t min_length) {
  const json::value* value = find(field);
  if (value == nullptr) {
    add_error(loc_of(field), "Field required", "missing");
    return {};
  }
  return read_string(field, *value, min_length, max_length).value_or(std::string());
}

std::optional<std::string> BodyReader::optional_string(std::string_view field,
                                                       std::size_t max_length) {
  const json::value* value = find(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return read_string(field, *value, 0, max_length);
}

std::optional<std::string> BodyReader::optional_code(std::string_view field,
                                                     std::size_t max_length) {
  const json::value* value = find(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (const json::string* text = value->if_string(); text != nullptr && text->empty()) {
    return std::nullopt;
  }
  return read_string(field, *value, 0, max_length);
}

std::optional<std::string> BodyReader::optional_date(std::string_view field) {
  const json::value* value = find(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_string()) {
    add_error({"body", std::string(field)}, "Input should be a valid date", "date_type");
    return std::nullopt;
  }
  std::string text(value->as_string());
  if (text.empty()) return std::nullopt;  // D10
  if (domain::is_iso_date(text)) return text;
  add_error({"body", std::string(field)}, "Input should be a valid date in the format YYYY-MM-DD", "date_parsing");
  return std::nullopt;
}

std::string BodyReader::required_date(std::string_view field) {
  const json::value* value = find(field);
  if (value == nullptr || value->is_null()) {
    add_error({"body", std::string(field)}, "Field required", "missing");
    return {};
  }
  const std::size_t errors_before = errors_.size();
  auto date = optional_date(field);
  if (!date && errors_.size() == errors_before) add_error({"body", std::string(field)}, "Field required", "missing");
  return date.value_or("");
}

std::string BodyReader::currency(std::string_view field, std::string_view fallback) {
  if (find(field) == nullptr) return std::string(fallback);
  std::string code = required_string(field, 3, 3);
  const bool letters =
      std::all_of(code.begin(), code.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
  if (!letters) {
    add_error({"body", std::string(field)}, "String should match pattern '^[A-Za-z]{3}$'", "string_pattern_mismatch");
  }
  return code;
}

std::string BodyReader::required_email(std::string_view field) {
  const json::value* value = find(field);
  if (value == nullptr) {
    add_error(loc_of(field), "Field required", "missing");
    return {};
  }
  // No length bound here: an overlong address is the email check's value_error, as in pydantic.
  auto text = read_string(field, *value, 0, std::numeric_limits<std::size_t>::max());
  if (!text) return {};
  if (auto normalized = domain::normalize_email(*text)) return std::move(*normalized);
  add_error(loc_of(field),
            "value is not a valid email address: The email address is not valid.", "value_error");
  return {};
}

std::optional<std::int64_t> BodyReader::optional_int(std::string_view field, std::int64_t min,
                                                     std::int64_t max) {
  const json::value* value = find(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return checked_int(int_from_json(*value), loc_of(field), min, max, errors_);
}

std::optional<double> BodyReader::optional_number(std::string_view field, double min, double max) {
  const json::value* value = find(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  const NumberRead read = number_from_json(*value);
  std::vector<std::string> loc = loc_of(field);
  switch (read.issue) {
    case NumberIssue::kType:
      add_error(std::move(loc), "Input should be a valid number", "float_type");
      return std::nullopt;
    case NumberIssue::kParsing:
      add_error(std::move(loc),
                "Input should be a valid number, unable to parse string as a number",
                "float_parsing");
      return std::nullopt;
    case NumberIssue::kNotFinite:
      add_error(std::move(loc), "Input should be a finite number", "finite_number");
      return std::nullopt;
    case NumberIssue::kNone:
      break;
  }
  if (read.value < min) {
    add_error(std::move(loc), "Input should be greater than or equal to " + format_number(min),
              "greater_than_equal");
    return std::nullopt;
  }
  if (read.value > max) {
    add_error(std::move(loc), "Input should be less than or equal to " + format_number(max),
              "less_than_equal");
    return std::nullopt;
  }
  return read.value;
}

std::optional<std::string> BodyReader::optional_object_json(std::string_view field) {
  const auto* value = find(field);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_object()) {
    add_error(loc_of(field), "Input should be a valid dictionary", "dict_type");
    return std::nullopt;
  }
  return boost::json::serialize(*value);
}

std::optional<bool> BodyReader::optional_bool(std::string_view field) {
  const json::value* value = find(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  std::optional<bool> result;
  if (value->is_bool()) {
    result = value->get_bool();
  } else if (value->is_string()) {
    result = bool_from_text(value->get_string());
  } else if (value->is_number()) {
    const double d = number_from_json(*value).value;
    if (d == 0 || d == 1) result = d == 1;
  } else {
    add_error(loc_of(field), "Input should be a valid boolean", "bool_type");
    return std::nullopt;
  }
  if (!result) {
    add_error(loc_of(field),
              "Input should be a valid boolean, unable to interpret input", "bool_parsing");
  }
  return result;
}

std::optional<std::vector<std::string>> BodyReader::optional_string_list(std::string_view field,
                                                                         std::size_t max_items,
                                                                         std::size_t max_length) {
  const json::value* value = find(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  const json::array* items = value->if_array();
  if (items == nullptr) {
    add_error(loc_of(field), "Input should be a valid list", "list_type");
    return std::nullopt;
  }
  if (items->size() > max_items) {
    add_error(loc_of(field),
              "List should have at most " + std::to_string(max_items) + " item" +
                  plural(max_items) + " after validation, not " + std::to_string(items->size()),
              "too_long");
    return std::nullopt;
  }
  std::vector<std::string> result;
  result.reserve(items->size());
  const std::size_t errors_before = errors_.size();
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::vector<std::string> loc = loc_of(field, std::to_string(i));
    const json::string* text = (*items)[i].if_string();
    if (text == nullptr) {
      add_error(std::move(loc), "Input should be a valid string", "string_type");
    } else if (char_count(*text) > max_length) {
      errors_.push_back(string_too_long(std::move(loc), max_length));
    } else {
      result.emplace_back(*text);
    }
  }
  if (errors_.size() != errors_before) return std::nullopt;
  return result;
}

domain::PageRequest read_page(const http::Request& req, std::vector<http::FieldError>& errors) {
  domain::PageRequest page;
  if (auto text = last_query_value(req, "limit")) {
    auto limit =
        checked_int(int_from_text(*text), {"query", "limit"}, 1, domain::kMaxPageLimit, errors);
    if (limit) page.limit = static_cast<int>(*limit);
  }
  if (auto text = last_query_value(req, "offset")) {
    auto offset = checked_int(int_from_text(*text), {"query", "offset"}, 0,
                              std::numeric_limits<std::int64_t>::max(), errors);
    if (offset) page.offset = *offset;
  }
  return page;
}

std::vector<http::ParamDoc> page_params() {
  return {{"limit", oas::integer(1, domain::kMaxPageLimit), false, "Items per page (default 50)."},
          {"offset", oas::integer(0), false, "Items to skip (default 0)."}};
}

std::optional<std::string> read_query_date(const http::Request& req, std::string_view name,
                                           std::vector<http::FieldError>& errors) {
  auto text = read_query_string(req, name, 10, errors);
  if (!text || domain::is_iso_date(*text)) return text;
  errors.push_back({{"query", std::string(name)}, "Input should be a valid date in the format YYYY-MM-DD", "date_parsing"});
  return std::nullopt;
}

bool read_query_bool(const http::Request& req, std::string_view name, bool otherwise,
                     std::vector<http::FieldError>& errors) {
  auto text = last_query_value(req, name);
  if (!text) return otherwise;
  if (auto value = bool_from_text(*text)) return *value;
  errors.push_back({{"query", std::string(name)}, "Input should be a valid boolean, unable to interpret input",
                    "bool_parsing"});
  return otherwise;
}

std::optional<std::string> read_query_string(const http::Request& req, std::string_view name,
                                             std::size_t max_length,
                                             std::vector<http::FieldError>& errors) {
  auto text = last_query_value(req, name);
  if (!text || text->empty()) return std::nullopt;
  if (char_count(*text) > max_length) {
    errors.push_back(string_too_long({"query", std::string(name)}, max_length));
    return std::nullopt;
  }
  return std::string(*text);
}

}  // namespace fruitpak::api
