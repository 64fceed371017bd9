#include "util/qr_svg.hpp"

#include <fmt/format.h>
#include <qrencode.h>

#include <memory>

namespace fruitpak::util {
namespace {

struct QrFree {
  void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};

}  // namespace

Result<std::string> qr_svg(std::string_view text, int scale, std::string_view dark) {
  const std::string data(text);
  std::unique_ptr<QRcode, QrFree> code{QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M)};
  if (!code) return make_error(Errc::kInternal, "QR encoding failed");
  constexpr int kQuiet = 4;
  const int modules = code->width + 2 * kQuiet;
  const int size = modules * scale;
  // One path of unit squares in module coordinates, scaled by the viewBox.
  std::string path;
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (code->data[y * code->width + x] & 1) path += fmt::format("M{},{}h1v1h-1z", x + kQuiet, y + kQuiet);
    }
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{0}\" viewBox=\"0 0 {1} {1}\">"
      "<rect width=\"{1}\" height=\"{1}\" fill=\"#fff\"/><path fill=\"{2}\" d=\"{3}\"/></svg>\n",
      size, modules, dark, path);
}

}  // namespace fruitpak::util
