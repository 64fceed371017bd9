#pragma once
// Renders text as a QR code in SVG through libqrencode (the original used segno with
// scale 4 and dark colour #15803d; we keep both, with the standard 4-module quiet zone).

#include "util/result.hpp"

#include <string>
#include <string_view>

namespace fruitpak::util {

[[nodiscard]] Result<std::string> qr_svg(std::string_view text, int scale = 4, std::string_view dark = "#15803d");

}  // namespace fruitpak::util
