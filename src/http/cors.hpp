#pragma once
// CORS per ALLOWED_ORIGINS (contract section 1.6): credentials allowed, all methods, all
// headers. Headers are added to every response, errors included (decision D7).

#include "http/message.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fruitpak::http {

// True if `origin` is listed, or the list holds "*".
bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed);

// Answers a preflight (OPTIONS with Origin and Access-Control-Request-Method): 200 with the
// allow headers, or 400 "Disallowed CORS origin". nullopt if `req` is not a preflight.
std::optional<Response> answer_preflight(const Request& req, const std::vector<std::string>& allowed);

// Adds Access-Control-Allow-Origin/-Credentials and Vary: Origin when the origin is allowed.
void add_cors_headers(const Request& req, Response& res, const std::vector<std::string>& allowed);

}  // namespace fruitpak::http
