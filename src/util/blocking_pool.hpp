#pragma once
// A small thread pool for work that blocks (SQLite calls, bcrypt, file I/O), so that it
// never runs on an I/O thread. Safe for concurrent use; one instance per process.

#include "util/asio.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <exception>
#include <optional>
#include <type_traits>

namespace fruitpak::util {

namespace detail {

// Posts `fn` to the pool; completes on the waiting coroutine's executor with its result.
// A plain struct rather than a lambda inside the coroutine: GCC 12 double-destroys closures
// that a coroutine body captures by init-capture.
struct BlockingInitiation {
  net::thread_pool::executor_type pool;

  template <class Handler, class F>
  void operator()(Handler handler, F fn) const {
    using R = std::invoke_result_t<F&>;
    net::post(pool, [fn = std::move(fn), handler = std::move(handler)]() mutable {
      std::exception_ptr failure;
      std::optional<R> value;
      try {
        value.emplace(fn());
      } catch (...) {
        failure = std::current_exception();
      }
      auto home = net::get_associated_executor(handler);
      net::dispatch(home, [handler = std::move(handler), failure, value = std::move(value)]() mutable {
        std::move(handler)(failure, std::move(value));
      });
    });
  }
};

}  // namespace detail

class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads) : pool_(threads) {}
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;
  ~BlockingPool() { pool_.join(); }

  // Runs `fn` on a pool thread and resumes the calling coroutine on its own executor with
  // the result. An exception thrown by `fn` is rethrown in the caller.
  // GCC 12 also mishandles a capturing lambda *temporary* inside a co_await expression, so
  // name the lambda first:  auto work = [&] { ... };  auto r = co_await pool.run(work);
  template <class F>
  net::awaitable<std::invoke_result_t<F&>> run(const F& fn) {
    using R = std::invoke_result_t<F&>;
    auto result = co_await net::async_initiate<decltype(net::use_awaitable),
                                               void(std::exception_ptr, std::optional<R>)>(
        detail::BlockingInitiation{pool_.get_executor()}, net::use_awaitable, fn);
    co_return std::move(*result);
  }

  void stop() { pool_.stop(); }

 private:
  net::thread_pool pool_;
};

}  // namespace fruitpak::util
