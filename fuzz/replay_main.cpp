// The replay driver of the fuzz targets outside libFuzzer (GCC test builds): feeds each
// file named on the command line, or each regular file under each directory named, to
// LLVMFuzzerTestOneInput once, in name order. A target that finds a broken property aborts
// (and the sanitizers report memory errors), so the process fails with the file named last
// on stderr. Exit status 0 when every input ran; 2 on a usage error or when no input was
// found (an empty corpus must not pass silently).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (fs::is_directory(arg)) {
      std::vector<fs::path> here;
      for (const auto& entry : fs::recursive_directory_iterator(arg)) {
        // README.md and similar notes next to the inputs are not inputs.
        if (entry.is_regular_file() && entry.path().extension() != ".md") here.push_back(entry.path());
      }
      std::sort(here.begin(), here.end());
      files.insert(files.end(), here.begin(), here.end());
    } else if (fs::is_regular_file(arg)) {
      files.push_back(arg);
    } else {
      std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
      return 2;
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "no inputs found\n");
    return 2;
  }
  for (const auto& file : files) {
    std::fprintf(stderr, "replay %s\n", file.c_str());
    std::ifstream in(file, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  }
  std::fprintf(stderr, "replayed %zu input(s)\n", files.size());
  return 0;
}
