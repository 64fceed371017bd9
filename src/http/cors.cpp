#include "http/cors.hpp"

#include "http/errors.hpp"

#include <algorithm>

namespace fruitpak::http {

bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed) {
  if (origin.empty()) return false;
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& a) { return a == "*" || a == origin; });
}

std::optional<Response> answer_preflight(const Request& req, const std::vector<std::string>& allowed) {
  if (req.message.method() != Method::options) return std::nullopt;
  const auto origin = req.header("Origin");
  const auto requested_method = req.header("Access-Control-Request-Method");
  if (origin.empty() || requested_method.empty()) return std::nullopt;
  if (!origin_allowed(origin, allowed)) {
    return error_response(Status::bad_request, "Disallowed CORS origin");
  }
  Response res{Status::ok, req.message.version()};
  res.set("Access-Control-Allow-Methods", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
  const auto requested_headers = req.header("Access-Control-Request-Headers");
  if (!requested_headers.empty()) res.set("Access-Control-Allow-Headers", requested_headers);
  res.set("Access-Control-Max-Age", "600");
  res.set(beast_http::field::content_type, "text/plain; charset=utf-8");
  res.body() = "OK";
  res.prepare_payload();
  return res;
}

void add_cors_headers(const Request& req, Response& res, const std::vector<std::string>& allowed) {
  const auto origin = req.header("Origin");
  if (!origin_allowed(origin, allowed)) return;
  res.set("Access-Control-Allow-Origin", origin);
  res.set("Access-Control-Allow-Credentials", "true");
  res.set(beast_http::field::vary, "Origin");
}

}  // namespace fruitpak::http
