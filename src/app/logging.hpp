#pragma once
// Process-wide logging set-up (spdlog): level and text|json format from the config.

#include "config/config.hpp"

namespace fruitpak::app {

void setup_logging(const std::string& level, config::LogFormat format);

}  // namespace fruitpak::app
