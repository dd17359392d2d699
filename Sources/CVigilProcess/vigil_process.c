#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>
#include "vigil_process.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int vigil_pidfd_open(int pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int vigil_pidfd_send_signal(int pidfd, int sig) { return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, (void *)0, 0); }
