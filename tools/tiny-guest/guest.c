/*
 * hyperion tiny guest main loop.
 *
 * Built by tools/tiny-guest/build.sh with `gcc -static -O2 -pthread` and run
 * in the foreground by /init (never exits on its own).
 *
 *  - prints "tick N" every 100 ms (N starts at 1, lives in this process's
 *    memory, never restarts). Schedule is absolute on CLOCK_MONOTONIC, so it
 *    does not drift. If the guest was stalled for longer than one period
 *    (e.g. paused VM), missed ticks are skipped, not burst out: N still
 *    increments by exactly 1 per printed line.
 *  - hyperion.dirty=<MiB> [hyperion.dirty_rate=<MiB/s>] on the kernel command
 *    line: a second thread allocates and touches <MiB> MiB and keeps rewriting
 *    every 4 KiB page with a pattern derived from (page, pass), verifying each
 *    page still holds the previous pass's pattern before rewriting it.
 *  - hyperion.diskwrite=<records/s>: a thread writes 4 KiB records to
 *    /dev/vda one after another (record i at offset i*4096, every 64-bit word
 *    w of it = i * 0x9E3779B97F4A7C15 ^ w), each with O_DIRECT|O_DSYNC, and
 *    prints "dwrite N" after every 10th record: the first N records are then
 *    on the disk, which a test can check from outside. "dwrite: full" at the
 *    end of the disk.
 *  - hyperion.hang=<N>: after tick N the guest stops ticking for good (prints
 *    "hyperion-tiny hang"), as a hung OS would: what HA's VM monitoring resets.
 *  - hyperion.poweroff=<N>: after tick N the guest powers itself off (prints
 *    "hyperion-tiny poweroff", syncs, reboot(RB_POWER_OFF)), as an OS would.
 *  - prints "key: CODE" (Linux input key code) for every key pressed on any
 *    input device (the PS/2 keyboard QEMU's VNC server types into), so a
 *    console's keyboard can be proven end to end. The power button is left
 *    to acpid.
 *  - QEMU guest agent responder: when the VM has a virtio-serial port named
 *    org.qemu.guest_agent.0 (found through /sys/class/virtio-ports/<port>/name,
 *    opened as /dev/<port>), a thread answers the qemu-ga protocol's basics:
 *    guest-sync-delimited (0xFF, then the echoed id), guest-sync, guest-ping,
 *    guest-info (version "hyperion-tiny-1"), guest-get-host-name, and a
 *    CommandNotFound error for anything else. A 0xFF byte from the host
 *    resets its parser, as qemu-ga's does. Prints "ga: ready" once it has the
 *    port. hyperion.ga_hang_after=<S>: after S seconds of uptime the responder
 *    stops answering for good (prints "ga: hang") while the guest keeps
 *    ticking: a hung agent, what HA's agent-heartbeat monitoring resets.
 *  - Ctrl-Alt-Del does not reboot the guest at once (the kernel's default):
 *    the kernel is told to signal this program instead (RB_DISABLE_CAD and
 *    /proc/sys/kernel/cad_pid), which prints "ctrl-alt-del" and carries on,
 *    so the key's "key: 111" line is never lost to a reboot.
 *
 * Every line is emitted with a single write(2) so lines never interleave.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/sysinfo.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define WORDS (PAGE / sizeof(uint64_t))
#define TICK_NS 100000000LL
#define MAX_MISMATCH_LINES 3

static void say(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        p += w;
        n -= w;
    }
}

/* Returns the value of `key=` from /proc/cmdline (last occurrence) or NULL. */
static char cmdline[4096];
static const char *param(const char *key)
{
    size_t kl = strlen(key);
    const char *found = NULL;
    for (char *p = cmdline; *p;) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (!*p)
            break;
        char *end = p;
        while (*end && *end != ' ' && *end != '\n')
            end++;
        if ((size_t)(end - p) > kl && strncmp(p, key, kl) == 0 && p[kl] == '=')
            found = p + kl + 1;
        p = end;
    }
    if (!found)
        return NULL;
    static char val[2][256];
    static int slot;
    char *v = val[slot++ & 1];
    size_t i = 0;
    while (found[i] && found[i] != ' ' && found[i] != '\n' && i < 255) {
        v[i] = found[i];
        i++;
    }
    v[i] = 0;
    return v;
}

static inline uint64_t pattern(uint64_t page, uint64_t pass, uint64_t word)
{
    /* cheap, distinct per (page, pass, word), never all-zero pages */
    uint64_t x = (page << 20) ^ (pass << 48) ^ 0x9E3779B97F4A7C15ULL;
    return x + word * 0xD1B54A32D192ED03ULL;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_until(int64_t t)
{
    struct timespec ts = { .tv_sec = t / 1000000000LL, .tv_nsec = t % 1000000000LL };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

static unsigned long dirty_mib, dirty_rate; /* rate 0 = unlimited */

static void *dirty_thread(void *arg)
{
    (void)arg;
    size_t npages = dirty_mib * 256UL;
    size_t len = npages * PAGE;
    uint64_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (mem == MAP_FAILED) {
        say("dirty: mmap %lu MiB failed: %s", dirty_mib, strerror(errno));
        return NULL;
    }
    int locked = mlock(mem, len) == 0;
    if (dirty_rate)
        say("dirty: %lu MiB at %lu MiB/s", dirty_mib, dirty_rate);
    else
        say("dirty: %lu MiB at max MiB/s", dirty_mib);
    if (!locked)
        say("dirty: mlock failed (%s), continuing unlocked", strerror(errno));

    /* pacing: work in slices of 10 ms worth of pages */
    const int64_t slice_ns = 10000000LL;
    size_t per_slice = dirty_rate ? (dirty_rate * 256UL * slice_ns) / 1000000000LL : npages;
    if (per_slice == 0)
        per_slice = 1;
    int64_t next = now_ns();

    for (uint64_t pass = 1;; pass++) {
        unsigned long mismatches = 0;
        size_t in_slice = 0;
        for (size_t p = 0; p < npages; p++) {
            uint64_t *pg = mem + p * WORDS;
            if (pass > 1) {
                int bad = 0;
                for (size_t w = 0; w < WORDS; w++)
                    if (pg[w] != pattern(p, pass - 1, w)) {
                        bad = 1;
                        break;
                    }
                if (bad) {
                    if (mismatches < MAX_MISMATCH_LINES)
                        say("dirty: mismatch page %zu pass %llu", p, (unsigned long long)pass);
                    mismatches++;
                }
            }
            for (size_t w = 0; w < WORDS; w++)
                pg[w] = pattern(p, pass, w);
            if (dirty_rate && ++in_slice == per_slice) {
                in_slice = 0;
                next += slice_ns;
                int64_t n = now_ns();
                if (next > n)
                    sleep_until(next);
                else if (n - next > 1000000000LL)
                    next = n; /* stalled > 1 s (paused VM): don't burst to catch up */
            }
        }
        if (mismatches)
            say("dirty: pass %llu mismatches %lu", (unsigned long long)pass, mismatches);
        else
            say("dirty: pass %llu ok", (unsigned long long)pass);
    }
    return NULL;
}

static unsigned long diskwrite_rate;

static void *diskwrite_thread(void *arg)
{
    (void)arg;
    int fd = -1;
    for (int i = 0; i < 50 && fd < 0; i++) {
        fd = open("/dev/vda", O_RDWR | O_DIRECT | O_DSYNC);
        if (fd < 0)
            sleep_until(now_ns() + 100000000LL);
    }
    if (fd < 0) {
        say("dwrite: cannot open /dev/vda: %s", strerror(errno));
        return NULL;
    }
    uint64_t *buf;
    if (posix_memalign((void **)&buf, PAGE, PAGE) != 0) {
        say("dwrite: no memory");
        return NULL;
    }
    say("dwrite: %lu records/s", diskwrite_rate);
    const int64_t period = 1000000000LL / (int64_t)diskwrite_rate;
    int64_t next = now_ns();
    for (uint64_t i = 0;; i++) {
        for (size_t w = 0; w < WORDS; w++)
            buf[w] = (i * 0x9E3779B97F4A7C15ULL) ^ w;
        ssize_t n = pwrite(fd, buf, PAGE, (off_t)(i * PAGE));
        if (n == 0 || (n < 0 && errno == ENOSPC)) {
            say("dwrite: full");
            return NULL;
        }
        if (n != (ssize_t)PAGE) {
            say("dwrite: write %llu failed: %s", (unsigned long long)i, n < 0 ? strerror(errno) : "short");
            return NULL;
        }
        if ((i + 1) % 10 == 0)
            say("dwrite %llu", (unsigned long long)(i + 1));
        next += period;
        int64_t t = now_ns();
        if (next > t)
            sleep_until(next);
        else if (t - next > 1000000000LL)
            next = t;
    }
    return NULL;
}

/* Key presses from every /dev/input/event* device, one "key: CODE" line each. Devices are looked for again every
 * second: the PS/2 keyboard registers asynchronously and may appear after this program starts. */
static void *keys_thread(void *arg)
{
    (void)arg;
    struct pollfd fds[16];
    int opened[16] = { 0 };
    nfds_t count = 0;
    for (;;) {
        for (int i = 0; i < 16 && count < 16; i++) {
            if (opened[i])
                continue;
            char path[32];
            snprintf(path, sizeof path, "/dev/input/event%d", i);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                opened[i] = 1;
                fds[count].fd = fd;
                fds[count].events = POLLIN;
                count++;
            }
        }
        int ready = poll(fds, count, 1000);
        if (ready < 0 && errno != EINTR)
            return NULL;
        for (nfds_t i = 0; ready > 0 && i < count; i++) {
            struct input_event ev;
            if ((fds[i].revents & POLLIN) && read(fds[i].fd, &ev, sizeof ev) == (ssize_t)sizeof ev
                && ev.type == EV_KEY && ev.value == 1 && ev.code != KEY_POWER)
                say("key: %u", (unsigned)ev.code);
        }
    }
}

/* ---------------------------------------------------------------- guest agent */

#define GA_PORT_NAME "org.qemu.guest_agent.0"
#define GA_VERSION "hyperion-tiny-1"

static unsigned long ga_hang_after; /* seconds of uptime; 0 = never */

static long uptime_s(void)
{
    struct sysinfo si;
    return sysinfo(&si) == 0 ? si.uptime : 0;
}

/* Finds the virtio port named org.qemu.guest_agent.0; writes /dev/<port> into path. */
static int ga_find_port(char *path, size_t size)
{
    DIR *d = opendir("/sys/class/virtio-ports");
    if (!d)
        return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char name_path[300], name[64] = { 0 };
        snprintf(name_path, sizeof name_path, "/sys/class/virtio-ports/%s/name", e->d_name);
        int fd = open(name_path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, name, sizeof name - 1);
        close(fd);
        if (n <= 0)
            continue;
        name[n] = 0;
        name[strcspn(name, "\n")] = 0;
        if (strcmp(name, GA_PORT_NAME) == 0) {
            snprintf(path, size, "/dev/%s", e->d_name);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

static void ga_write(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return; /* host went away mid-answer: the next client resyncs */
        }
        buf += w;
        n -= (size_t)w;
    }
}

/* The string value of "key" in a flat request such as {"execute": "guest-ping"}; empty if absent. */
static void ga_string(const char *req, const char *key, char *out, size_t size)
{
    out[0] = 0;
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(req, pat);
    if (!p)
        return;
    p += strlen(pat);
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ':')
        p++;
    if (*p != '"')
        return;
    p++;
    size_t i = 0;
    while (*p && *p != '"' && i + 1 < size)
        out[i++] = *p++;
    out[i] = 0;
}

/* The integer "id" of the request's arguments; 0 when absent. */
static long long ga_id(const char *req)
{
    const char *p = strstr(req, "\"id\"");
    if (!p)
        return 0;
    p += 4;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ':')
        p++;
    return strtoll(p, NULL, 10);
}

static void ga_answer(int fd, const char *req)
{
    char cmd[64], out[1024];
    ga_string(req, "execute", cmd, sizeof cmd);
    int n;
    if (strcmp(cmd, "guest-sync-delimited") == 0) {
        out[0] = (char)0xFF;
        n = 1 + snprintf(out + 1, sizeof out - 1, "{\"return\": %lld}\n", ga_id(req));
    } else if (strcmp(cmd, "guest-sync") == 0) {
        n = snprintf(out, sizeof out, "{\"return\": %lld}\n", ga_id(req));
    } else if (strcmp(cmd, "guest-ping") == 0) {
        n = snprintf(out, sizeof out, "{\"return\": {}}\n");
    } else if (strcmp(cmd, "guest-info") == 0) {
        static const char *const cmds[] = { "guest-sync-delimited", "guest-sync", "guest-ping", "guest-info", "guest-get-host-name" };
        n = snprintf(out, sizeof out, "{\"return\": {\"version\": \"" GA_VERSION "\", \"supported_commands\": [");
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
            n += snprintf(out + n, sizeof out - n, "%s{\"name\": \"%s\", \"enabled\": true, \"success-response\": true}", i ? ", " : "", cmds[i]);
        n += snprintf(out + n, sizeof out - n, "]}}\n");
    } else if (strcmp(cmd, "guest-get-host-name") == 0) {
        char host[256] = "localhost";
        gethostname(host, sizeof host - 1);
        host[strcspn(host, "\"\\")] = 0;
        n = snprintf(out, sizeof out, "{\"return\": {\"host-name\": \"%s\"}}\n", host);
    } else {
        for (char *c = cmd; *c; c++)
            if (*c == '"' || *c == '\\')
                *c = '_';
        n = snprintf(out, sizeof out, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command %s has not been found\"}}\n", cmd);
    }
    if (n > (int)sizeof out)
        n = sizeof out;
    ga_write(fd, out, (size_t)n);
}

static void *ga_thread(void *arg)
{
    (void)arg;
    char path[300];
    /* The port appears when virtio_console has probed the device: look for up to 10 s. */
    int tries = 0;
    while (!ga_find_port(path, sizeof path)) {
        if (++tries > 100)
            return NULL;
        sleep_until(now_ns() + 100000000LL);
    }
    int fd = -1;
    while ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
        if (++tries > 200) {
            say("ga: cannot open %s: %s", path, strerror(errno));
            return NULL;
        }
        sleep_until(now_ns() + 50000000LL);
    }
    say("ga: ready");

    /* One request = one JSON object, framed by brace depth (strings respected); 0xFF resets the parser. */
    char req[4096];
    size_t len = 0;
    int depth = 0, in_str = 0, esc = 0;
    char buf[512];
    for (;;) {
        if (ga_hang_after && (unsigned long)uptime_s() >= ga_hang_after) {
            say("ga: hang");
            for (;;)
                pause();
        }
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) {
            /* No host connected (read gives 0 and poll would say POLLHUP at once): look again shortly. */
            if (n < 0 && errno == EINTR)
                continue;
            sleep_until(now_ns() + 50000000LL);
            continue;
        }
        if (ga_hang_after && (unsigned long)uptime_s() >= ga_hang_after)
            continue; /* the check at the top of the loop hangs */
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            if (c == 0xFF) {
                len = 0, depth = 0, in_str = 0, esc = 0;
                continue;
            }
            if (depth == 0 && c != '{')
                continue; /* whitespace or junk between requests */
            if (len + 1 < sizeof req)
                req[len++] = (char)c;
            if (in_str) {
                if (esc)
                    esc = 0;
                else if (c == '\\')
                    esc = 1;
                else if (c == '"')
                    in_str = 0;
                continue;
            }
            if (c == '"')
                in_str = 1;
            else if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    req[len] = 0;
                    ga_answer(fd, req);
                    len = 0;
                }
            }
        }
    }
}

static void on_cad(int sig)
{
    (void)sig;
    static const char line[] = "ctrl-alt-del\n";
    ssize_t w = write(1, line, sizeof line - 1);
    (void)w;
}

static void take_ctrl_alt_del(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_cad;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    FILE *f = fopen("/proc/sys/kernel/cad_pid", "w");
    if (f) {
        fprintf(f, "%d\n", (int)getpid());
        fclose(f);
    }
    reboot(RB_DISABLE_CAD);
}

int main(void)
{
    take_ctrl_alt_del();
    FILE *f = fopen("/proc/cmdline", "r");
    if (f) {
        size_t n = fread(cmdline, 1, sizeof cmdline - 1, f);
        cmdline[n] = 0;
        fclose(f);
    }
    const char *d = param("hyperion.dirty");
    const char *r = param("hyperion.dirty_rate");
    if (d)
        dirty_mib = strtoul(d, NULL, 10);
    if (r)
        dirty_rate = strtoul(r, NULL, 10);
    const char *dw = param("hyperion.diskwrite");
    if (dw)
        diskwrite_rate = strtoul(dw, NULL, 10);
    if (diskwrite_rate) {
        pthread_t t;
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &a, diskwrite_thread, NULL) != 0)
            say("dwrite: cannot start thread");
    }
    const char *p = param("hyperion.poweroff");
    unsigned long long poweroff_after = p ? strtoull(p, NULL, 10) : 0;
    const char *h = param("hyperion.hang");
    unsigned long long hang_after = h ? strtoull(h, NULL, 10) : 0;

    const char *gh = param("hyperion.ga_hang_after");
    if (gh)
        ga_hang_after = strtoul(gh, NULL, 10);
    {
        pthread_t t;
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &a, ga_thread, NULL) != 0)
            say("ga: cannot start thread");
    }

    if (dirty_mib) {
        pthread_t t;
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &a, dirty_thread, NULL) != 0)
            say("dirty: cannot start thread");
    }

    {
        pthread_t t;
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &a, keys_thread, NULL) != 0)
            say("keys: cannot start thread");
    }

    unsigned long long n = 0;
    int64_t next = now_ns();
    for (;;) {
        say("tick %llu", ++n);
        if (poweroff_after && n >= poweroff_after) {
            say("hyperion-tiny poweroff");
            sync();
            reboot(RB_POWER_OFF);
        }
        if (hang_after && n >= hang_after) {
            say("hyperion-tiny hang");
            for (;;)
                pause();
        }
        next += TICK_NS;
        int64_t t = now_ns();
        if (t - next >= TICK_NS)
            next = t + TICK_NS; /* stalled: skip missed ticks, keep counting by 1 */
        sleep_until(next);
    }
}
