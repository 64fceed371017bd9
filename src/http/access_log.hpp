#pragma once
// The access log: one line per answered request. In text format it is a human-readable
// line; a structured formatter (LOG_FORMAT=json, app/logging.cpp) reads the record being
// logged through current_access_record() and writes its fields as JSON members. The path is
// logged without its query string, so no secret sent as a query parameter reaches a log.

#include <cstddef>
#include <string_view>

namespace fruitpak::http {

struct AccessRecord {
  std::string_view request_id;
  std::string_view tenant;  // "" when the caller has none
  std::string_view route;   // the route template; "" when no route matched
  std::string_view method;
  std::string_view path;    // without the query string
  unsigned status = 0;
  std::size_t bytes = 0;    // response body bytes
  double duration_ms = 0;
};

// Writes the access line (spdlog, level info) for `record`.
void log_access(const AccessRecord& record);

// The record whose line is being formatted on this thread, or null when the line being
// formatted is not an access line. Valid only inside a formatter called by log_access.
const AccessRecord* current_access_record();

}  // namespace fruitpak::http
