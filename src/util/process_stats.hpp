#pragma once
// What Linux says about this process, for /metrics and the memory benchmark. Both read
// /proc and return 0 where it is absent.

#include <cstddef>

namespace fruitpak::util {

// Resident set size in bytes (/proc/self/statm).
std::size_t resident_bytes();

// Open file descriptors (entries of /proc/self/fd).
std::size_t open_fds();

}  // namespace fruitpak::util
