/* The kernel sensor's ring-buffer record: shared by bpf/vigil.bpf.c (kernel side) and
 * Sources/KernelSensor (user side, through the CVigilBPF module). One definition, two compilers:
 * only fixed-width types, no padding surprises (every field naturally aligned, sizes asserted
 * on both sides). */
#ifndef VIGIL_EVENT_H
#define VIGIL_EVENT_H

#define VIGIL_COMM_LEN 16
#define VIGIL_PATH_LEN 256
#define VIGIL_CGROUP_LEVELS 4
#define VIGIL_CGROUP_NAME_LEN 80
/* Bytes of the new image's environment block sent with an exec (a power of two: the verifier
 * bound); user space keeps at most VIGIL_ENV_MAX_VARS of the NUL-separated variables. */
#define VIGIL_ENV_LEN 4096
#define VIGIL_ENV_MAX_VARS 256

/* What happened. Values are part of the user/kernel contract. */
enum vigil_kind {
    VK_EXEC = 1,      /* sched_process_exec: path1 = kernel's copy of the path, path2 = argv (NUL-separated) */
    VK_FORK = 2,      /* sched_process_fork, new process only (not threads): pid = parent, arg0 = child pid */
    VK_EXIT = 3,      /* sched_process_exit of a thread-group leader: arg0 = exit code */
    VK_OPEN = 4,      /* open/openat/openat2/creat: path1, arg0 = dirfd, arg1 = flags, arg2 = mode */
    VK_RENAME = 5,    /* rename/renameat/renameat2: path1 = old, path2 = new, arg0 = olddirfd, arg1 = newdirfd */
    VK_UNLINK = 6,    /* unlink/unlinkat: path1, arg0 = dirfd, arg1 = flags */
    VK_MKDIR = 7,     /* mkdir/mkdirat: path1, arg0 = dirfd, arg2 = mode */
    VK_CHMOD = 8,     /* chmod/fchmodat: path1, arg0 = dirfd, arg2 = mode */
    VK_CONNECT = 9,   /* connect: arg0 = fd, addr */
    VK_ACCEPT = 10,   /* accept/accept4: arg0 = listening fd, addr = peer */
    VK_SETID = 11,    /* setuid/setgid/setreuid/setregid/setresuid/setresgid: arg0 = target id */
    VK_PTRACE = 12,   /* ptrace: arg0 = request, arg1 = target pid */
    VK_CHDIR = 13,    /* chdir/fchdir: path1 (chdir), arg0 = fd (fchdir) — keeps cwd for relative paths */
};

/* Exact syscall, so user space can print Falco's event name (openat vs openat2). */
enum vigil_syscall {
    VS_NONE = 0,
    VS_OPEN, VS_OPENAT, VS_OPENAT2, VS_CREAT,
    VS_RENAME, VS_RENAMEAT, VS_RENAMEAT2,
    VS_UNLINK, VS_UNLINKAT,
    VS_MKDIR, VS_MKDIRAT,
    VS_CHMOD, VS_FCHMODAT,
    VS_CONNECT, VS_ACCEPT, VS_ACCEPT4,
    VS_SETUID, VS_SETGID, VS_SETREUID, VS_SETREGID, VS_SETRESUID, VS_SETRESGID,
    VS_PTRACE,
    VS_CHDIR, VS_FCHDIR,
    VS_COUNT
};

/* Socket address as the kernel saw it (IPv4 in the first 4 bytes of addr, IPv6 in all 16). */
struct vigil_sockaddr {
    unsigned short family;   /* AF_INET = 2, AF_INET6 = 10, AF_UNIX = 1, 0 = none */
    unsigned short port;     /* host byte order */
    unsigned int _pad;
    unsigned char addr[16];
};

struct vigil_event {
    unsigned long long ts;       /* bpf_ktime_get_boot_ns(): nanoseconds since boot */
    unsigned long long cgroup_id;/* cgroup v2 id of the task (== inode of its cgroup2 directory) */
    long long res;               /* syscall return value (fd, 0, -errno); 0 for exec/fork/exit */
    long long arg0, arg1, arg2;
    unsigned int kind;           /* enum vigil_kind */
    unsigned int syscall;        /* enum vigil_syscall */
    unsigned int pid;            /* tgid, host pid namespace */
    unsigned int tid;
    unsigned int ppid;           /* real_parent->tgid */
    unsigned int uid, gid;
    unsigned int loginuid;
    unsigned int vpid;           /* pid in the task's own pid namespace */
    unsigned int tty;            /* major << 20 | minor, 0 = none */
    unsigned int sid;            /* session id (host namespace) */
    unsigned int path2_len;      /* bytes used in path2 (argv for exec, including NULs) */
    char comm[VIGIL_COMM_LEN];
    char pcomm[VIGIL_COMM_LEN];  /* exec and fork: the parent's comm (the parent may be gone when user space looks) */
    struct vigil_sockaddr addr;
    char path1[VIGIL_PATH_LEN];
    char path2[VIGIL_PATH_LEN];
    /* exec and fork only: the cgroup v2 path, leaf first ("libpod-<id>", "libpod_parent", …),
     * empty names after the root */
    char cgroup[VIGIL_CGROUP_LEVELS][VIGIL_CGROUP_NAME_LEN];
};

/* An exec record: the full record followed by the environment (`proc.env`). Only exec records
 * have this size; user space tells them apart by the record size. */
struct vigil_exec_event {
    struct vigil_event ev;
    unsigned int env_len;        /* bytes used in env (NUL-separated KEY=value) */
    unsigned int _pad;
    char env[VIGIL_ENV_LEN];
};

/* Indices of the per-CPU statistics map. */
enum vigil_stat {
    VSTAT_EMITTED = 0,   /* events written to the ring buffer */
    VSTAT_DROPPED = 1,   /* ring buffer full: event lost */
    VSTAT_FILTERED = 2,  /* host events dropped in the kernel (containers-only mode) */
    VSTAT_OPEN_SKIPPED = 3, /* read-only opens of paths no loaded rule can match (open_read_paths) */
    VSTAT_COUNT = 4
};

/* Key of the open_read_paths LPM trie: a path prefix, or an exact path with its NUL. */
struct vigil_path_key {
    unsigned int prefixlen;      /* in bits */
    unsigned char data[VIGIL_PATH_LEN];
};

#endif
