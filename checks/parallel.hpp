#pragma once
// The one place work is spread over threads: body(k) for k < count on `threads` workers (a TBB
// arena of that size). Callers write results by index, so output never depends on scheduling.
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstddef>

namespace mechcheck {

template <class Body>
void parallel_for_each(int threads, std::size_t count, Body&& body) {
  tbb::task_arena arena(std::max(1, threads));
  arena.execute([&] { tbb::parallel_for(std::size_t{0}, count, [&](std::size_t k) { body(k); }); });
}

}  // namespace mechcheck
