#ifndef VIGIL_BPF_H
#define VIGIL_BPF_H
#include <stddef.h>
#include <bpf/libbpf.h>
#include "vigil_event.h"

/* Routes libbpf's messages into a buffer instead of stderr: the last warning/error line is kept
 * for the one-line error vigil prints when loading fails (va_list handling is why this is C). */
void vigil_libbpf_capture_messages(int verbose);
const char *vigil_libbpf_last_message(void);

/* Sets a `const volatile` global of the object's .rodata before load, found by name through the
 * object's BTF. Returns 0, or -1 when the variable does not exist or has another size. */
int vigil_set_rodata(struct bpf_object *obj, const char *name, const void *value, size_t size);

/* SIGINT/SIGTERM set a flag the event loop polls (async-signal-safe, no Swift in the handler). */
void vigil_install_stop_handlers(void);
int vigil_stop_requested(void);
void vigil_request_stop(void);

#endif
