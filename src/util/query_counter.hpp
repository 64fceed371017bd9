#pragma once
// Counts the database statements one request issued, for the X-Query-Count header in test
// mode. Owned by the request; not shared between threads.

namespace fruitpak::util {

struct QueryCounter {
  int count = 0;
};

}  // namespace fruitpak::util
