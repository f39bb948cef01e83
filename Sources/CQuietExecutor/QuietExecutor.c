// A quiet global executor for Swift concurrency on Linux.
//
// Why: Swift's default global executor on Linux is libdispatch's global
// (non-overcommit) root queues. The first worker thread of those queues
// starts libdispatch's "workqueue monitor", a 1 Hz timer on its manager
// thread (src/event/workqueue.c, _dispatch_workq_init_once) that can never
// be stopped. An idle daemon built on Swift concurrency therefore wakes up
// 60 times a minute forever. plankeeper's daemon should wake only when a
// notice is due, a plan changes or a signal arrives.
//
// How: the Swift runtime lets a process replace where global jobs go
// (swift_task_enqueueGlobal_hook and its delay/deadline variants). These
// hooks put jobs on a FIFO served by a few pthreads that block on a
// condition variable when it is empty, and delayed jobs on a heap served by
// one timer thread that sleeps (CLOCK_MONOTONIC) until the earliest
// deadline. Nothing here polls or wakes periodically.
//
// Jobs are run with swift_job_run on the generic executor, exactly as the
// default global executor runs them; priorities are not distinguished (a
// daemon with a handful of tasks has no use for them).
#define _GNU_SOURCE
#include "QuietExecutor.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SWIFT_CC __attribute__((swiftcall))

// The runtime's entry point for running a job; SerialExecutorRef (two
// words, generic = {0, 0}) is passed as two arguments under swiftcc.
extern SWIFT_CC void swift_job_run(void *job, void *executor_identity, uintptr_t executor_implementation);

typedef SWIFT_CC void (*pk_enqueue_original)(void *job);
typedef SWIFT_CC void (*pk_delay_original)(unsigned long long delay, void *job);
typedef SWIFT_CC void (*pk_deadline_original)(long long sec, long long nsec, long long tsec, long long tnsec, int clock, void *job);

extern SWIFT_CC void (*swift_task_enqueueGlobal_hook)(void *job, pk_enqueue_original original);
extern SWIFT_CC void (*swift_task_enqueueGlobalWithDelay_hook)(unsigned long long delay, void *job, pk_delay_original original);
extern SWIFT_CC void (*swift_task_enqueueGlobalWithDeadline_hook)(long long sec, long long nsec, long long tsec, long long tnsec, int clock, void *job, pk_deadline_original original);

// MARK: Ready queue

static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static void **ready = NULL;  // ring buffer
static size_t ready_capacity = 0, ready_head = 0, ready_count = 0;
static size_t idle_workers = 0;
static atomic_int installed = 0;

static void ready_push_locked(void *job) {
    if (ready_count == ready_capacity) {
        size_t capacity = ready_capacity ? ready_capacity * 2 : 64;
        void **grown = malloc(capacity * sizeof(void *));
        if (!grown) abort();  // out of memory: nothing sensible is left to do
        for (size_t i = 0; i < ready_count; i++) grown[i] = ready[(ready_head + i) % ready_capacity];
        free(ready);
        ready = grown;
        ready_capacity = capacity;
        ready_head = 0;
    }
    ready[(ready_head + ready_count) % ready_capacity] = job;
    ready_count++;
}

static void enqueue_job(void *job) {
    pthread_mutex_lock(&ready_lock);
    ready_push_locked(job);
    if (idle_workers > 0) pthread_cond_signal(&ready_cond);
    pthread_mutex_unlock(&ready_lock);
}

static void *worker_main(void *unused) {
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&ready_lock);
        while (ready_count == 0) {
            idle_workers++;
            pthread_cond_wait(&ready_cond, &ready_lock);
            idle_workers--;
        }
        void *job = ready[ready_head];
        ready_head = (ready_head + 1) % ready_capacity;
        ready_count--;
        pthread_mutex_unlock(&ready_lock);
        swift_job_run(job, NULL, 0);
    }
    return NULL;
}

// MARK: Timers

typedef struct {
    uint64_t deadline;
    uint64_t id;
    void *job;               // a Swift job to enqueue, or NULL
    void (*fn)(void *);      // else a callback
    void *context;
} pk_timer;

static pthread_mutex_t timer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timer_cond;
static pk_timer *heap = NULL;
static size_t heap_count = 0, heap_capacity = 0;
static uint64_t next_timer_id = 1;
static pthread_once_t timer_once = PTHREAD_ONCE_INIT;

uint64_t pk_quiet_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int earlier(const pk_timer *a, const pk_timer *b) {
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->id < b->id);
}

static void heap_swap(size_t i, size_t j) {
    pk_timer t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
}

static void heap_up(size_t i) {
    while (i > 0 && earlier(&heap[i], &heap[(i - 1) / 2])) {
        heap_swap(i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < heap_count && earlier(&heap[l], &heap[m])) m = l;
        if (r < heap_count && earlier(&heap[r], &heap[m])) m = r;
        if (m == i) return;
        heap_swap(i, m);
        i = m;
    }
}

static void heap_remove_at(size_t i) {
    heap_count--;
    if (i == heap_count) return;
    heap[i] = heap[heap_count];
    heap_down(i);
    heap_up(i);
}

static void *timer_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&timer_lock);
    for (;;) {
        if (heap_count == 0) {
            pthread_cond_wait(&timer_cond, &timer_lock);
            continue;
        }
        uint64_t now = pk_quiet_now_ns();
        if (heap[0].deadline > now) {
            struct timespec until = {
                .tv_sec = (time_t)(heap[0].deadline / 1000000000ull),
                .tv_nsec = (long)(heap[0].deadline % 1000000000ull),
            };
            pthread_cond_timedwait(&timer_cond, &timer_lock, &until);
            continue;
        }
        pk_timer due = heap[0];
        heap_remove_at(0);
        pthread_mutex_unlock(&timer_lock);
        if (due.job) {
            enqueue_job(due.job);
        } else {
            due.fn(due.context);
        }
        pthread_mutex_lock(&timer_lock);
    }
    return NULL;
}

static void start_thread(void *(*body)(void *)) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 8 << 20);  // synchronous code of Swift jobs runs on it: as large as a main thread
    pthread_t thread;
    if (pthread_create(&thread, &attr, body, NULL) != 0) abort();
    pthread_attr_destroy(&attr);
}

static void timer_init(void) {
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&timer_cond, &attr);
    pthread_condattr_destroy(&attr);
    start_thread(timer_main);
}

static uint64_t schedule(uint64_t deadline, void *job, void (*fn)(void *), void *context) {
    pthread_once(&timer_once, timer_init);
    pthread_mutex_lock(&timer_lock);
    if (heap_count == heap_capacity) {
        size_t capacity = heap_capacity ? heap_capacity * 2 : 16;
        pk_timer *grown = realloc(heap, capacity * sizeof(pk_timer));
        if (!grown) abort();
        heap = grown;
        heap_capacity = capacity;
    }
    uint64_t id = next_timer_id++;
    heap[heap_count] = (pk_timer){.deadline = deadline, .id = id, .job = job, .fn = fn, .context = context};
    heap_count++;
    heap_up(heap_count - 1);
    // Wake the timer thread only when this is now the earliest deadline.
    if (heap[0].id == id) pthread_cond_signal(&timer_cond);
    pthread_mutex_unlock(&timer_lock);
    return id;
}

uint64_t pk_quiet_timer_schedule(uint64_t deadline_ns, void (*fn)(void *), void *context) {
    return schedule(deadline_ns, NULL, fn, context);
}

int pk_quiet_timer_cancel(uint64_t id) {
    pthread_mutex_lock(&timer_lock);
    int found = 0;
    for (size_t i = 0; i < heap_count; i++) {
        if (heap[i].id == id) {
            heap_remove_at(i);
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(&timer_lock);
    return found;
}

// MARK: Hooks

static SWIFT_CC void hook_enqueue(void *job, pk_enqueue_original original) {
    (void)original;
    enqueue_job(job);
}

static SWIFT_CC void hook_delay(unsigned long long delay, void *job, pk_delay_original original) {
    (void)original;
    schedule(pk_quiet_now_ns() + delay, job, NULL, NULL);
}

static SWIFT_CC void hook_deadline(long long sec, long long nsec, long long tsec, long long tnsec, int clock, void *job,
                                   pk_deadline_original original) {
    (void)tsec, (void)tnsec, (void)original;
    // The deadline is on Swift's continuous (1: CLOCK_BOOTTIME) or
    // suspending (2: CLOCK_MONOTONIC) clock: carry it over to CLOCK_MONOTONIC.
    struct timespec ts;
    clock_gettime(clock == 1 ? CLOCK_BOOTTIME : CLOCK_MONOTONIC, &ts);
    long long remaining = (sec - (long long)ts.tv_sec) * 1000000000ll + (nsec - ts.tv_nsec);
    uint64_t now = pk_quiet_now_ns();
    schedule(remaining > 0 ? now + (uint64_t)remaining : now, job, NULL, NULL);
}

int pk_quiet_executor_install(int threads) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&installed, &expected, 1)) return 0;
    if (threads < 2) threads = 2;
    for (int i = 0; i < threads; i++) start_thread(worker_main);
    swift_task_enqueueGlobal_hook = hook_enqueue;
    swift_task_enqueueGlobalWithDelay_hook = hook_delay;
    swift_task_enqueueGlobalWithDeadline_hook = hook_deadline;
    return 1;
}
