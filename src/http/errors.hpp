#pragma once
// Error bodies in the contract's shape (decision D1): every error carries both the
// FastAPI-style "detail" and the original's "error": {"code", "message", "details"}.

#include "http/message.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace fruitpak::http {

// One field problem of a 422 ("loc": ["body", "grower_id"], "msg": "Field required",
// "type": "missing").
struct FieldError {
  std::vector<std::string> loc;
  std::string msg;
  std::string type;
};

// {"detail": message, "error": {"code": code, "message": message}}; `code` defaults to
// "HTTP_<status>" as the original's exception handler gives it.
std::string error_body(Status status, std::string_view message, std::string_view code = {});

// The 422 body: "detail" is the FastAPI array, "error" the original's VALIDATION_ERROR.
std::string validation_error_body(const std::vector<FieldError>& errors);

// A complete JSON error response. Messages of 5xx responses are the contract's fixed texts,
// never internal details.
Response error_response(Status status, std::string_view message, std::string_view code = {});
Response validation_error_response(const std::vector<FieldError>& errors);

// The fixed texts of the contract (section 1.4).
inline constexpr std::string_view kInternalErrorMessage =
    "An unexpected error occurred. Please try again later.";
inline constexpr std::string_view kDatabaseUnavailableMessage =
    "Database temporarily unavailable. Please try again.";

// Sets the JSON content type and body, and the content length.
void set_json(Response& response, std::string body);

}  // namespace fruitpak::http
