#pragma once
// Runs one coroutine to completion on a private io_context and returns its value. For
// command-line sub-commands and start-up steps only; never call it on an I/O thread.

#include "util/asio.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>

namespace fruitpak::util {

template <class T>
T run_sync(net::awaitable<T> work) {
  net::io_context context{1};
  std::optional<T> value;
  std::exception_ptr failure;
  net::co_spawn(context, std::move(work), [&](std::exception_ptr e, T v) {
    failure = e;
    if (!e) value.emplace(std::move(v));
  });
  context.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*value);
}

}  // namespace fruitpak::util
