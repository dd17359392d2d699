#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "vigil_bpf.h"

_Static_assert(sizeof(struct vigil_event) == 8 * 6 + 4 * 12 + 16 * 2 + 24 + 256 * 2 + 4 * 80, "vigil_event layout");

static char last_message[512];
static int verbose_messages;

static int capture(enum libbpf_print_level level, const char *fmt, va_list args)
{
    if (level == LIBBPF_DEBUG && !verbose_messages)
        return 0;
    char line[512];
    int n = vsnprintf(line, sizeof(line), fmt, args);
    if (n <= 0)
        return 0;
    if (verbose_messages)
        fputs(line, stderr);
    if (level != LIBBPF_DEBUG) {
        size_t len = strnlen(line, sizeof(line));
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == ' '))
            line[--len] = 0;
        if (len > 0)
            memcpy(last_message, line, len + 1);
    }
    return 0;
}

void vigil_libbpf_capture_messages(int verbose)
{
    verbose_messages = verbose;
    libbpf_set_print(capture);
}

const char *vigil_libbpf_last_message(void)
{
    return last_message;
}

int vigil_set_rodata(struct bpf_object *obj, const char *name, const void *value, size_t size)
{
    struct btf *btf = bpf_object__btf(obj);
    if (!btf)
        return -1;
    struct bpf_map *map;
    bpf_object__for_each_map(map, obj) {
        const char *map_name = bpf_map__name(map);
        size_t n = strlen(map_name);
        if (n < 7 || strcmp(map_name + n - 7, ".rodata") != 0)
            continue;
        int sec_id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
        if (sec_id < 0)
            return -1;
        const struct btf_type *sec = btf__type_by_id(btf, sec_id);
        const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
        for (int i = 0; i < btf_vlen(sec); i++, vs++) {
            const struct btf_type *var = btf__type_by_id(btf, vs->type);
            if (strcmp(btf__name_by_offset(btf, var->name_off), name) != 0)
                continue;
            if (vs->size != size)
                return -1;
            size_t total = 0;
            char *data = bpf_map__initial_value(map, &total);
            if (!data || vs->offset + size > total)
                return -1;
            memcpy(data + vs->offset, value, size);
            return 0;
        }
        return -1;
    }
    return -1;
}

static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
    (void)sig;
    stop_flag = 1;
}

void vigil_install_stop_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* a parent may have left them blocked (test runners do): unblock, or the flag never rises */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int vigil_stop_requested(void)
{
    return stop_flag;
}

void vigil_request_stop(void)
{
    stop_flag = 1;
}
