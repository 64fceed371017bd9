#pragma once
// Process-wide logging set-up (spdlog): level and text|json format from the config.
//
// LOG_FORMAT=json writes one JSON object per line: {"time","level","thread","message"};
// access lines (http/access_log.hpp) add request_id, tenant (when the caller has one), route
// (the template, "unmatched" when none matched), method, path (no query string), status,
// duration_ms and bytes. LOG_FORMAT=text writes "<time> <level> <message>".

#include "config/config.hpp"

#include <memory>

namespace spdlog {
class formatter;
}

namespace fruitpak::app {

void setup_logging(const std::string& level, config::LogFormat format);

// The formatter setup_logging installs for `format`; tests give it to a capturing sink.
std::unique_ptr<spdlog::formatter> make_log_formatter(config::LogFormat format);

}  // namespace fruitpak::app
