#ifndef PLANKEEPER_QUIET_EXECUTOR_H
#define PLANKEEPER_QUIET_EXECUTOR_H
// A global executor for Swift concurrency that sleeps when there is nothing
// to do. See QuietExecutor.c for why the daemon needs one.
#include <stdint.h>

/// Routes every job for Swift's global concurrent executor to `threads`
/// plain pthreads (created on first use). Call before the first `await`
/// that leaves the main thread; later calls do nothing. Returns 1 when
/// installed by this call.
int pk_quiet_executor_install(int threads);

/// Calls `fn(context)` once, on the executor's timer thread, when
/// CLOCK_MONOTONIC reaches `deadline_ns`, unless cancelled first. Returns
/// an id for `pk_quiet_timer_cancel`. Never polls: the timer thread sleeps
/// until the earliest deadline.
uint64_t pk_quiet_timer_schedule(uint64_t deadline_ns, void (*fn)(void *), void *context);

/// Cancels a scheduled call. Returns 1 when it was still pending (`fn` will
/// not run), 0 when it had already run or was running.
int pk_quiet_timer_cancel(uint64_t id);

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t pk_quiet_now_ns(void);
#endif
