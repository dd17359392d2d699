/* openat+close in a tight loop: the syscall-heavy workload the sensor overhead is measured on.
 * openloop [N [PATH [REPS]]]: prints the fastest of REPS timed runs of N iterations (the minimum
 * filters out the VM's slow phases; every mode of the benchmark gets the same treatment). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    const char *path = argc > 2 ? argv[2] : "/etc/hostname";
    long reps = argc > 3 ? atol(argv[3]) : 1;
    double best = -1;
    for (long r = 0; r < reps; r++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (long i = 0; i < n; i++) {
            int fd = openat(AT_FDCWD, path, O_RDONLY);
            if (fd < 0) { perror("openat"); return 1; }
            close(fd);
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
        if (best < 0 || s < best) best = s;
    }
    printf("%.4f\n", best);
    return 0;
}
