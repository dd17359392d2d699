/* Process syscalls Swift cannot call directly (syscall(2) is variadic): pidfds for
 * `vigil watch --enable-actions`. */
#ifndef VIGIL_PROCESS_H
#define VIGIL_PROCESS_H

/* pidfd_open(2): a descriptor that pins the process; -1 with errno set on failure. */
int vigil_pidfd_open(int pid);
/* pidfd_send_signal(2) with no siginfo and no flags; 0 or -1 with errno set. */
int vigil_pidfd_send_signal(int pidfd, int sig);

#endif
