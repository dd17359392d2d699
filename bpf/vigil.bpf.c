// SPDX-License-Identifier: GPL-2.0
/* Vigil's kernel sensor (CO-RE). Built at set-up by scripts/build-bpf.sh against the running kernel's
 * BTF (vmlinux.h is generated, never committed) and loaded by Sources/KernelSensor through libbpf.
 *
 * Only tracepoints, raw BTF tracepoints and the ring buffer: fentry/fexit, BPF-LSM and kprobes do not
 * load on the kernels Vigil targets first (../shared/lab/NOTES.md §3a).
 *
 * Syscalls are reported when they complete (Falco's exit events): one sys_exit_* program per syscall
 * reads the arguments from the registers saved at entry and the user strings (resident: the kernel
 * just copied them) and emits one record with the result. Process events come from the scheduler
 * tracepoints, execs with the kernel's own copy of the path.
 *
 * Cost control, measured by Benchmarks/sensor-overhead.sh: host tasks are dropped with a
 * mount-namespace compare before any map or ring-buffer work (containers-only mode, the default),
 * read-only opens of paths no loaded rule names never leave the kernel (open_read_paths), and
 * the consumer is woken only when enough data is pending (it polls with a short timeout otherwise).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "vigil_event.h"

char LICENSE[] SEC("license") = "GPL";

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* Set by user space before load (read-only data: the verifier prunes the dead branches). */
const volatile unsigned int host_mntns = 0;       /* mount namespace inode of the host */
const volatile unsigned int only_containers = 1;  /* 1: drop tasks in the host mount namespace */
const volatile unsigned int wakeup_events = 256; /* wake the consumer every this many records per CPU */
const volatile unsigned int filter_open_reads = 0; /* 1: read-only opens must match open_read_paths */

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 24); /* 16 MiB: ~17k records of slack at full size */
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, VSTAT_COUNT);
    __type(key, u32);
    __type(value, u64);
} stats SEC(".maps");

/* The paths the loaded rules can match on a read-only open (exact paths with their NUL, and
 * prefixes), written by user space after load from the compiled rules (RuleSet.openReadFilter).
 * A read-only open of anything else never reaches the ring buffer: on a container that reads files
 * all day this is most of the sensor's cost. */
struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __uint(max_entries, 4096);
    __type(key, struct vigil_path_key);
    __type(value, u8);
} open_read_paths SEC(".maps");

/* Per-CPU scratch for the path being checked (too large for the 512-byte stack). */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct vigil_path_key);
} path_scratch SEC(".maps");

/* Older kernels name kernfs_node's parent `parent`, 6.15+ `__parent`. */
struct kernfs_node___old {
    struct kernfs_node *parent;
} __attribute__((preserve_access_index));

/* Bumps a per-CPU counter and returns its new value. */
static __always_inline u64 count(u32 idx)
{
    u64 *v = bpf_map_lookup_elem(&stats, &idx);
    if (!v)
        return 0;
    *v += 1; /* per-CPU: no atomics needed */
    return *v;
}

/* 1 when the current task must be ignored (a host task in containers-only mode). */
static __always_inline int skip_current(void)
{
    if (!only_containers)
        return 0;
    /* direct BTF loads (no helper calls): this runs on every traced syscall of every task */
    struct task_struct *task = bpf_get_current_task_btf();
    unsigned int mntns = task->nsproxy->mnt_ns->ns.inum;
    if (mntns == host_mntns || mntns == 0) {
        count(VSTAT_FILTERED);
        return 1;
    }
    return 0;
}

/* Records come in two sizes: the full one for exec, fork and rename (argv or the new path in
 * path2, the cgroup path), and a short one ending after path1 for everything else; the short one
 * is 40% of the full one, which is most of the per-event cost (ring buffer bytes written here and
 * read on the consumer's CPU). User space zero-fills what a short record leaves out. */
#define VIGIL_SHORT_RECORD __builtin_offsetof(struct vigil_event, path2)

static __always_inline struct vigil_event *reserve(void)
{
    struct vigil_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        count(VSTAT_DROPPED);
    return e;
}

static __always_inline struct vigil_event *reserve_short(void)
{
    struct vigil_event *e = bpf_ringbuf_reserve(&events, VIGIL_SHORT_RECORD, 0);
    if (!e)
        count(VSTAT_DROPPED);
    return e;
}

/* Wake the consumer every `wakeup_events` records per CPU; otherwise it finds them when its
 * poll times out. Counting per CPU avoids reading the ring's shared positions on every event. */
static __always_inline void submit(struct vigil_event *e)
{
    u64 n = count(VSTAT_EMITTED);
    bpf_ringbuf_submit(e, (n % wakeup_events) == 0 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/* The fields every record carries. */
static __always_inline void fill_common(struct vigil_event *e, struct task_struct *task, u32 kind, u32 syscall)
{
    u64 pid_tgid = bpf_get_current_pid_tgid();
    u64 uid_gid = bpf_get_current_uid_gid();
    e->ts = bpf_ktime_get_boot_ns();
    e->cgroup_id = bpf_get_current_cgroup_id();
    e->res = 0;
    e->arg0 = e->arg1 = e->arg2 = 0;
    e->kind = kind;
    e->syscall = syscall;
    e->pid = pid_tgid >> 32;
    e->tid = (u32)pid_tgid;
    e->ppid = BPF_CORE_READ(task, real_parent, tgid);
    e->uid = (u32)uid_gid;
    e->gid = uid_gid >> 32;
    e->loginuid = 0;
    e->vpid = 0;
    e->tty = 0;
    e->sid = 0;
    e->path2_len = 0;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    e->pcomm[0] = 0;
    e->addr.family = 0;
    e->addr.port = 0;
    e->path1[0] = 0;
}

/* Process details the user side keeps in its table: sent with exec and fork only. */
static __always_inline void fill_process(struct vigil_event *e, struct task_struct *task)
{
    e->path2[0] = 0;
    e->loginuid = BPF_CORE_READ(task, loginuid.val);
    struct task_struct *parent = BPF_CORE_READ(task, real_parent);
    bpf_probe_read_kernel_str(e->pcomm, sizeof(e->pcomm), &parent->comm);
    struct pid *tp = BPF_CORE_READ(task, thread_pid);
    unsigned int level = BPF_CORE_READ(tp, level);
    struct upid up = {};
    bpf_core_read(&up, sizeof(up), &tp->numbers[level & 31]);
    e->vpid = up.nr;
    struct pid *sp = BPF_CORE_READ(task, signal, pids[PIDTYPE_SID]);
    if (sp)
        e->sid = BPF_CORE_READ(sp, numbers[0].nr);
    struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
    if (tty) {
        unsigned int major = BPF_CORE_READ(tty, driver, major);
        unsigned int minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
        e->tty = (major << 20) | minor;
    }
    struct kernfs_node *kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
#pragma unroll
    for (int i = 0; i < VIGIL_CGROUP_LEVELS; i++) {
        e->cgroup[i][0] = 0;
        if (!kn)
            continue;
        bpf_probe_read_kernel_str(e->cgroup[i], VIGIL_CGROUP_NAME_LEN, BPF_CORE_READ(kn, name));
        if (bpf_core_field_exists(kn->__parent))
            kn = BPF_CORE_READ(kn, __parent);
        else
            kn = BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
    }
}

SEC("tracepoint/sched/sched_process_exec")
int vigil_exec(struct trace_event_raw_sched_process_exec *ctx)
{
    if (skip_current())
        return 0;
    struct vigil_exec_event *x = bpf_ringbuf_reserve(&events, sizeof(*x), 0);
    if (!x) {
        count(VSTAT_DROPPED);
        return 0;
    }
    struct vigil_event *e = &x->ev;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    fill_common(e, task, VK_EXEC, VS_NONE);
    fill_process(e, task);
    unsigned int off = ctx->__data_loc_filename & 0xFFFF;
    bpf_probe_read_kernel_str(e->path1, sizeof(e->path1), (void *)ctx + off);
    /* argv as the new image sees it: the kernel just wrote it into the new stack */
    unsigned long start = BPF_CORE_READ(task, mm, arg_start);
    unsigned long end = BPF_CORE_READ(task, mm, arg_end);
    unsigned long len = end > start ? end - start : 0;
    if (len > VIGIL_PATH_LEN - 1)
        len = VIGIL_PATH_LEN - 1;
    len &= VIGIL_PATH_LEN - 1; /* bound for the verifier */
    if (len > 0 && bpf_probe_read_user(e->path2, len, (void *)start) == 0)
        e->path2_len = len;
    /* the environment the new image received (proc.env): Shellshock payloads ride in it */
    unsigned long env_start = BPF_CORE_READ(task, mm, env_start);
    unsigned long env_end = BPF_CORE_READ(task, mm, env_end);
    unsigned long env_len = env_end > env_start ? env_end - env_start : 0;
    if (env_len > VIGIL_ENV_LEN - 1)
        env_len = VIGIL_ENV_LEN - 1;
    env_len &= VIGIL_ENV_LEN - 1; /* bound for the verifier */
    x->env_len = 0;
    x->_pad = 0;
    if (env_len > 0 && bpf_probe_read_user(x->env, env_len, (void *)env_start) == 0)
        x->env_len = env_len;
    submit(e);
    return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(vigil_fork, struct task_struct *parent, struct task_struct *child)
{
    /* threads share the process: only new thread groups are reported */
    if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
        return 0;
    if (skip_current())
        return 0;
    struct vigil_event *e = reserve();
    if (!e)
        return 0;
    fill_common(e, parent, VK_FORK, VS_NONE);
    fill_process(e, parent);
    e->arg0 = BPF_CORE_READ(child, tgid);
    e->res = e->arg0;
    submit(e);
    return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int vigil_exit(void *ctx)
{
    u64 pid_tgid = bpf_get_current_pid_tgid();
    if ((u32)pid_tgid != pid_tgid >> 32)
        return 0;
    if (skip_current())
        return 0;
    struct vigil_event *e = reserve_short();
    if (!e)
        return 0;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    fill_common(e, task, VK_EXIT, VS_NONE);
    e->arg0 = BPF_CORE_READ(task, exit_code);
    submit(e);
    return 0;
}

/* ---- syscalls: one program at sys_exit each ---- */

/* The syscall's arguments from the registers saved at entry, which the syscalls traced here leave
 * alone (Falco's modern probe reads them the same way). One program per syscall, at exit: no
 * sys_enter program and no per-thread storage, which halves the work on every traced call. */
static __always_inline void syscall_args(u64 *a, int nargs)
{
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
    a[0] = PT_REGS_PARM1_SYSCALL(regs);
    if (nargs > 1)
        a[1] = PT_REGS_PARM2_SYSCALL(regs);
    if (nargs > 2)
        a[2] = PT_REGS_PARM3_SYSCALL(regs);
    if (nargs > 3)
        a[3] = PT_REGS_PARM4_SYSCALL(regs);
}

#define O_ACCMODE_ 03
#define O_CREAT_ 0100
#define O_TRUNC_ 01000
#if defined(__TARGET_ARCH_arm64)
#define O_DIRECTORY_ 040000
#else
#define O_DIRECTORY_ 0200000
#endif
#define O_PATH_ 010000000
#define O_TMPFILE_ 020000000 /* __O_TMPFILE */
#define S_IFMT_ 0170000
#define S_IFDIR_ 0040000

/* 1 unless the descriptor `fd` of the current task is known to be something other than a
 * directory. A directory opened without O_DIRECTORY can still be the dirfd of a later openat()
 * or fchdir(): user space must see it to resolve those paths. */
static __always_inline int maybe_directory(long fd)
{
    struct task_struct *task = bpf_get_current_task_btf();
    struct fdtable *fdt = task->files->fdt;
    if (!fdt || (unsigned long)fd >= fdt->max_fds)
        return 1;
    struct file **fds = fdt->fd;
    struct file *f = NULL;
    if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
        return 1;
    /* typed view of the pointer just read: the inode's mode comes by plain loads, no helper calls */
    struct file *file = bpf_rdonly_cast(f, bpf_core_type_id_kernel(struct file));
    unsigned short mode = file->f_inode->i_mode;
    return (mode & S_IFMT_) == S_IFDIR_;
}

/* 1 when the path is not plainly canonical: "//", a "." component, ".." anywhere (so a filtered
 * path never contains "..": rules that look for traversal see every such open), or a trailing "/".
 * User space normalises these as Falco does, so their raw bytes cannot be matched against the
 * prefixes. */
static __always_inline int not_canonical(const unsigned char *s, long n)
{
    for (int i = 0; i < VIGIL_PATH_LEN - 1; i++) {
        if (i >= n - 1)
            break;
        unsigned char c = s[(i + 1) & (VIGIL_PATH_LEN - 1)];
        if (s[i] == '.' && c == '.')
            return 1;
        if (s[i] != '/')
            continue;
        if (c == '/' || c == 0)
            return 1;
        if (c == '.') {
            unsigned char d = s[(i + 2) & (VIGIL_PATH_LEN - 1)];
            if (d == '/' || d == 0)
                return 1;
        }
    }
    return 0;
}

/* 1 when an open can be dropped here: read-only (no write access mode, O_CREAT, O_TRUNC or
 * O_TMPFILE; not O_DIRECTORY or O_PATH, and the new descriptor is not a directory: later *at()
 * calls resolve against those), an absolute canonical path, and no entry of open_read_paths matches
 * it. Everything this cannot decide (unreadable or relative paths) is kept. */
static __always_inline int skip_open_read(u64 flags, const char *upath, long res)
{
    if (!filter_open_reads)
        return 0;
    if (flags & (O_ACCMODE_ | O_CREAT_ | O_TRUNC_ | O_DIRECTORY_ | O_PATH_ | O_TMPFILE_))
        return 0;
    u32 zero = 0;
    struct vigil_path_key *k = bpf_map_lookup_elem(&path_scratch, &zero);
    if (!k)
        return 0;
    long n = bpf_probe_read_user_str(k->data, sizeof(k->data), upath);
    if (n <= 1 || k->data[0] != '/' || not_canonical(k->data, n))
        return 0;
    k->prefixlen = (u32)n * 8; /* with the NUL: exact entries carry theirs */
    if (bpf_map_lookup_elem(&open_read_paths, k))
        return 0;
    if (res >= 0 && maybe_directory(res))
        return 0;
    count(VSTAT_OPEN_SKIPPED);
    return 1;
}

static __always_inline void read_sockaddr(struct vigil_event *e, const void *uaddr)
{
    if (!uaddr)
        return;
    unsigned short family = 0;
    if (bpf_probe_read_user(&family, sizeof(family), uaddr))
        return;
    e->addr.family = family;
    if (family == 2) { /* AF_INET */
        struct sockaddr_in in = {};
        if (bpf_probe_read_user(&in, sizeof(in), uaddr) == 0) {
            e->addr.port = bpf_ntohs(in.sin_port);
            __builtin_memcpy(e->addr.addr, &in.sin_addr, 4);
        }
    } else if (family == 10) { /* AF_INET6 */
        struct sockaddr_in6 in6 = {};
        if (bpf_probe_read_user(&in6, sizeof(in6), uaddr) == 0) {
            e->addr.port = bpf_ntohs(in6.sin6_port);
            __builtin_memcpy(e->addr.addr, &in6.sin6_addr, 16);
        }
    } else if (family == 1) { /* AF_UNIX: the socket path */
        bpf_probe_read_user_str(e->path1, sizeof(e->path1), (const char *)uaddr + 2);
    }
}

static __always_inline int emit(struct trace_event_raw_sys_exit *ctx, u32 syscall, int nargs)
{
    if (skip_current())
        return 0;
    struct { u64 args[4]; } p = {};
    syscall_args(p.args, nargs);
    long res = ctx->ret;
    if (syscall == VS_OPEN && skip_open_read(p.args[1], (const char *)p.args[0], res))
        return 0;
    if (syscall == VS_OPENAT && skip_open_read(p.args[2], (const char *)p.args[1], res))
        return 0;
    u32 kind = 0;
    switch (syscall) {
    case VS_OPEN: case VS_OPENAT: case VS_OPENAT2: case VS_CREAT: kind = VK_OPEN; break;
    case VS_RENAME: case VS_RENAMEAT: case VS_RENAMEAT2: kind = VK_RENAME; break;
    case VS_UNLINK: case VS_UNLINKAT: kind = VK_UNLINK; break;
    case VS_MKDIR: case VS_MKDIRAT: kind = VK_MKDIR; break;
    case VS_CHMOD: case VS_FCHMODAT: kind = VK_CHMOD; break;
    case VS_CONNECT: kind = VK_CONNECT; break;
    case VS_ACCEPT: case VS_ACCEPT4: kind = VK_ACCEPT; break;
    case VS_PTRACE: kind = VK_PTRACE; break;
    case VS_CHDIR: case VS_FCHDIR: kind = VK_CHDIR; break;
    default: kind = VK_SETID; break;
    }
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    const int AT_FDCWD_ = -100;
    if (kind == VK_RENAME) { /* the only syscall record with a second path: full size */
        struct vigil_event *r = reserve();
        if (!r)
            return 0;
        fill_common(r, task, kind, syscall);
        r->res = res;
        int two_paths_at = syscall != VS_RENAME; /* renameat(olddfd, old, newdfd, new) vs rename(old, new) */
        r->arg0 = two_paths_at ? (int)p.args[0] : AT_FDCWD_;
        r->arg1 = two_paths_at ? (int)p.args[2] : AT_FDCWD_;
        bpf_probe_read_user_str(r->path1, sizeof(r->path1), (const char *)(two_paths_at ? p.args[1] : p.args[0]));
        bpf_probe_read_user_str(r->path2, sizeof(r->path2), (const char *)(two_paths_at ? p.args[3] : p.args[1]));
        submit(r);
        return 0;
    }
    struct vigil_event *e = reserve_short();
    if (!e)
        return 0;
    fill_common(e, task, kind, syscall);
    e->res = res;
    switch (syscall) {
    case VS_OPEN: /* open(path, flags, mode) */
        e->arg0 = AT_FDCWD_; e->arg1 = p.args[1]; e->arg2 = p.args[2];
        bpf_probe_read_user_str(e->path1, sizeof(e->path1), (const char *)p.args[0]);
        break;
    case VS_CREAT: /* creat(path, mode) == open(path, O_CREAT|O_WRONLY|O_TRUNC, mode) */
        e->arg0 = AT_FDCWD_; e->arg1 = 01 | 0100 | 01000; e->arg2 = p.args[1];
        bpf_probe_read_user_str(e->path1, sizeof(e->path1), (const char *)p.args[0]);
        break;
    case VS_OPENAT: /* openat(dirfd, path, flags, mode) */
        e->arg0 = (int)p.args[0]; e->arg1 = p.args[2]; e->arg2 = p.args[3];
        bpf_probe_read_user_str(e->path1, sizeof(e->path1), (const char *)p.args[1]);
        break;
    case VS_OPENAT2: { /* openat2(dirfd, path, struct open_how *, size) */
        struct open_how how = {};
        bpf_probe_read_user(&how, sizeof(how), (const void *)p.args[2]);
        e->arg0 = (int)p.args[0]; e->arg1 = how.flags; e->arg2 = how.mode;
        bpf_probe_read_user_str(e->path1, sizeof(e->path1), (const char *)p.args[1]);
        break;
    }
    case VS_UNLINK: case VS_MKDIR: case VS_CHMOD: /* (path[, mode]) */
        e->arg0 = AT_FDCWD_; e->arg2 = p.args[1];
        bpf_probe_read_user_str(e->path1, sizeof(e->path1), (const char *)p.args[0]);
        break;
    case VS_UNLINKAT: case VS_MKDIRAT: case VS_FCHMODAT: /* (dirfd, path, flags|mode) */
        e->arg0 = (int)p.args[0]; e->arg1 = p.args[2]; e->arg2 = p.args[2];
        bpf_probe_read_user_str(e->path1, sizeof(e->path1), (const char *)p.args[1]);
        break;
    case VS_CONNECT: /* connect(fd, addr, len) */
        e->arg0 = (int)p.args[0];
        read_sockaddr(e, (const void *)p.args[1]);
        break;
    case VS_ACCEPT: case VS_ACCEPT4: /* accept(fd, addr, len): the peer is filled on return */
        e->arg0 = (int)p.args[0];
        if (res >= 0)
            read_sockaddr(e, (const void *)p.args[1]);
        break;
    case VS_CHDIR: /* chdir(path) */
        e->arg0 = AT_FDCWD_;
        bpf_probe_read_user_str(e->path1, sizeof(e->path1), (const char *)p.args[0]);
        break;
    case VS_FCHDIR: /* fchdir(fd) */
        e->arg0 = (int)p.args[0];
        break;
    case VS_PTRACE: /* ptrace(request, pid, …) */
        e->arg0 = p.args[0]; e->arg1 = (int)p.args[1];
        break;
    default: /* set*id: the first argument is the target (real) id; setres*id's effective id is second */
        e->arg0 = (int)p.args[0]; e->arg1 = (int)p.args[1]; e->arg2 = (int)p.args[2];
        break;
    }
    submit(e);
    return 0;
}

#define SYSCALL(name, code, nargs)                                                 \
    SEC("tracepoint/syscalls/sys_exit_" #name)                                     \
    int vigil_exit_##name(struct trace_event_raw_sys_exit *ctx) { return emit(ctx, code, nargs); }

/* open and openat: read-only opens of paths no rule can match are dropped here (skip_open_read);
 * openat2's flags live in user memory (struct open_how): it is always reported. */
SYSCALL(open, VS_OPEN, 3)
SYSCALL(openat, VS_OPENAT, 4)
SYSCALL(openat2, VS_OPENAT2, 4)
SYSCALL(creat, VS_CREAT, 2)
SYSCALL(rename, VS_RENAME, 2)
SYSCALL(renameat, VS_RENAMEAT, 4)
SYSCALL(renameat2, VS_RENAMEAT2, 4)
SYSCALL(unlink, VS_UNLINK, 1)
SYSCALL(unlinkat, VS_UNLINKAT, 3)
SYSCALL(mkdir, VS_MKDIR, 2)
SYSCALL(mkdirat, VS_MKDIRAT, 3)
SYSCALL(chmod, VS_CHMOD, 2)
SYSCALL(fchmodat, VS_FCHMODAT, 3)
SYSCALL(connect, VS_CONNECT, 3)
SYSCALL(accept, VS_ACCEPT, 3)
SYSCALL(accept4, VS_ACCEPT4, 4)
SYSCALL(setuid, VS_SETUID, 1)
SYSCALL(setgid, VS_SETGID, 1)
SYSCALL(setreuid, VS_SETREUID, 2)
SYSCALL(setregid, VS_SETREGID, 2)
SYSCALL(setresuid, VS_SETRESUID, 3)
SYSCALL(setresgid, VS_SETRESGID, 3)
SYSCALL(ptrace, VS_PTRACE, 4)
SYSCALL(chdir, VS_CHDIR, 1)
SYSCALL(fchdir, VS_FCHDIR, 1)
