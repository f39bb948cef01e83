#ifndef PLANKEEPER_CPLATFORM_H
#define PLANKEEPER_CPLATFORM_H
// Linux interfaces Glibc's Swift overlay does not export: timerfd (an alarm
// that notices the wall clock being set), inotify (plan folder changes) and
// renameat2 (a rename that never replaces: the spool's exactly-once step).
#include <sys/timerfd.h>
#include <sys/inotify.h>

static const int pk_tfd_timer_abstime = TFD_TIMER_ABSTIME;
static const int pk_tfd_timer_cancel_on_set = TFD_TIMER_CANCEL_ON_SET;
static const int pk_tfd_nonblock = TFD_NONBLOCK;
static const int pk_tfd_cloexec = TFD_CLOEXEC;
static const int pk_in_nonblock = IN_NONBLOCK;
static const int pk_in_cloexec = IN_CLOEXEC;

/// rename(2) that fails with EEXIST instead of replacing `to`
/// (renameat2 with RENAME_NOREPLACE): 0, or -1 with errno. EINVAL, ENOSYS or
/// EOPNOTSUPP mean the file system or kernel lacks the flag.
int pk_rename_noreplace(const char *from, const char *to);
#endif
