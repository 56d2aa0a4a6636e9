/*
 * tandem-launcher: the agent's process launcher. The agent starts one per run and asks it, through
 * its standard input, to start tasks; the launcher forks them (no exec of a helper per task) and
 * reports on its standard output when each one has exec'd, failed to, or ended. See
 * agent/README.md ("How a task is started") for the process tree and the protocol.
 *
 * Request: NUL-terminated "key=value" fields, ended by an empty field. Keys: id, file (the program's
 * path), arg (repeated, argv[0] first), env (repeated, KEY=VALUE), dir, out, err, status (where the
 * supervisor records the exit status), cgroup (repeated: a cgroup.procs file to join), pidns=1,
 * mountns=1, tmp (a directory to bind-mount on /tmp; implies mountns), netns=1, user, uid, gid.
 * A request "op=signal" with pid and sig signals the process group of a task's supervisor.
 *
 * Events, one line each: "started ID PID", "failed ID MESSAGE", "exited ID STATUS" (the exit code,
 * or 128+N after signal N). Every launch gets exactly one "started" or "failed"; "exited" follows
 * once the task's supervisor has ended.
 *
 * Per task: the supervisor (pid = the task's process group and session) stays outside the task's
 * cgroups and namespaces, waits for the task and writes its exit status to the status file (which a
 * restarted agent reads). With a pid namespace an init runs as pid 1 inside it, reaps orphans and
 * ends the namespace (the kernel kills what is left) when the task's main process exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FIELDS 4096
#define ERROR_EXIT 125

struct request {
    const char *id, *file, *dir, *out, *err, *status, *tmp, *user;
    int pidns, mountns, netns;
    long uid, gid;
    const char *args[MAX_FIELDS + 1];
    const char *envs[MAX_FIELDS + 1];
    const char *cgroups[64];
    int nargs, nenvs, ncgroups;
};

struct launch {
    char *id;
    pid_t pid;
    int errfd;           /* read end of the exec-status pipe; -1 once started or failed was said */
    char message[512];
    size_t length;
    int exited;
    int status;
};

static struct launch *launches;
static size_t nlaunches, capacity;

/* ---- output to the agent ---- */

static void emit(const char *format, ...) {
    char line[1024];
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(line, sizeof line - 1, format, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if ((size_t) n > sizeof line - 2) {
        n = sizeof line - 2;
    }
    for (int i = 0; i < n; i++) {
        if (line[i] == '\n' || line[i] == '\r') {
            line[i] = ' ';
        }
    }
    line[n++] = '\n';
    for (int off = 0; off < n;) {
        ssize_t w = write(STDOUT_FILENO, line + off, n - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            _exit(0); /* the agent is gone: its tasks go on without us */
        }
        off += w;
    }
}

/* ---- in the children: report a setup failure through the pipe, then give up ---- */

static int report_fd = -1;

static void fail(const char *format, ...) {
    char message[512];
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    if (n > 0 && report_fd >= 0) {
        ssize_t ignored = write(report_fd, message, (size_t) n < sizeof message ? (size_t) n : sizeof message - 1);
        (void) ignored;
    }
    _exit(ERROR_EXIT);
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        fail("cannot open %s: %s", path, strerror(errno));
    }
    ssize_t n = write(fd, text, strlen(text));
    if (n < 0) {
        fail("cannot write %s: %s", path, strerror(errno));
    }
    close(fd);
}

static void noop(int sig) {
    (void) sig;
}

static void default_signals(void) {
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    for (int sig = 1; sig < NSIG; sig++) {
        sigaction(sig, &dfl, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static int code_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Waits for pid, through signals that interrupt the wait, and returns its exit code. */
static int wait_for(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return ERROR_EXIT;
        }
    }
    return code_of(status);
}

static void loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
        fail("cannot read the loopback's flags: %s", strerror(errno));
    }
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
        fail("cannot bring the loopback up: %s", strerror(errno));
    }
    close(s);
}

/* The task's own namespaces and mounts, made by the process that will be (or fork) the task. */
static void enter_namespaces(const struct request *r) {
    int flags = (r->mountns || r->tmp || r->pidns ? CLONE_NEWNS : 0) | (r->netns ? CLONE_NEWNET : 0);
    if (flags && unshare(flags) < 0) {
        fail("cannot create the task's namespaces: %s", strerror(errno));
    }
    if (flags & CLONE_NEWNS) {
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
            fail("cannot make the task's mounts private: %s", strerror(errno));
        }
    }
    if (r->pidns && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
        fail("cannot mount the task's /proc: %s", strerror(errno));
    }
    if (r->tmp && mount(r->tmp, "/tmp", NULL, MS_BIND | MS_REC, NULL) < 0) {
        fail("cannot bind %s on /tmp: %s", r->tmp, strerror(errno));
    }
    if (r->netns) {
        loopback_up();
    }
}

/* The sandbox and the task's streams, taken before a new /tmp can hide the paths to them. */
static void enter_sandbox(const struct request *r, int streams[3]) {
    if (r->dir && chdir(r->dir) < 0) {
        fail("cannot enter the sandbox %s: %s", r->dir, strerror(errno));
    }
    streams[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    streams[1] = open(r->out ? r->out : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    streams[2] = open(r->err ? r->err : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (streams[0] < 0 || streams[1] < 0 || streams[2] < 0) {
        fail("cannot open the task's standard streams: %s", strerror(errno));
    }
}

/* The task itself: its cgroups, streams and user, then exec. Never returns. */
static void exec_task(const struct request *r, const int streams[3]) {
    default_signals();
    for (int i = 0; i < r->ncgroups; i++) {
        write_file(r->cgroups[i], "0");
    }
    for (int fd = 0; fd < 3; fd++) {
        if (dup2(streams[fd], fd) < 0) {
            fail("cannot set up the task's standard streams: %s", strerror(errno));
        }
    }
    if (r->user) {
        if (initgroups(r->user, (gid_t) r->gid) < 0 || setgid((gid_t) r->gid) < 0) {
            fail("cannot take the groups of user '%s': %s", r->user, strerror(errno));
        }
        if (setuid((uid_t) r->uid) < 0) {
            fail("cannot become user '%s': %s", r->user, strerror(errno));
        }
    }
    execve(r->file, (char *const *) r->args, (char *const *) r->envs);
    fail("Failed to launch '%s': %s", r->args[0], strerror(errno));
}

/* pid 1 of the task's pid namespace: forks the task, reaps everything, exits with the task's status. */
static void init_process(const struct request *r, const int streams[3]) {
    enter_namespaces(r);
    pid_t task = fork();
    if (task < 0) {
        fail("cannot fork the task: %s", strerror(errno));
    }
    if (task == 0) {
        exec_task(r, streams);
    }
    for (int fd = 0; fd < 3; fd++) {
        close(streams[fd]);
    }
    close(report_fd);
    for (;;) {
        int status;
        pid_t pid = wait(&status);
        if (pid == task) {
            _exit(code_of(status));
        }
        if (pid < 0 && errno != EINTR) {
            _exit(ERROR_EXIT);
        }
    }
}

static void record(const char *path, int code) {
    char tmp[4096], text[16];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int) sizeof tmp) {
        return;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return;
    }
    int n = snprintf(text, sizeof text, "%d\n", code);
    if (write(fd, text, n) == n && close(fd) == 0) {
        rename(tmp, path);
    } else {
        unlink(tmp);
    }
}

/*
 * The task's supervisor: its own session, so the agent's Ctrl-C never reaches the task and a signal
 * to the group reaches everything the task forked. SIGTERM (the agent's graceful kill) is caught and
 * ignored here so that the supervisor outlives the task and records how it ended.
 */
static void supervisor(const struct request *r, int report) {
    report_fd = report;
    setsid();
    int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    if (report_fd != 3) { /* dup3 keeps close-on-exec, so the task never holds the pipe open */
        if (dup3(report_fd, 3, O_CLOEXEC) < 0) {
            fail("cannot keep the report pipe: %s", strerror(errno));
        }
        report_fd = 3;
    }
    syscall(SYS_close_range, 4, ~0U, 0);
    default_signals();
    struct sigaction ignore_term = {.sa_handler = noop};
    sigaction(SIGTERM, &ignore_term, NULL);
    if (r->pidns && unshare(CLONE_NEWPID) < 0) {
        fail("cannot create the task's pid namespace: %s", strerror(errno));
    }
    pid_t child = fork();
    if (child < 0) {
        fail("cannot fork the task: %s", strerror(errno));
    }
    if (child == 0) {
        int streams[3];
        enter_sandbox(r, streams);
        if (r->pidns) {
            init_process(r, streams);
        }
        enter_namespaces(r);
        exec_task(r, streams);
    }
    close(report_fd);
    int code = wait_for(child);
    if (r->status) {
        record(r->status, code);
    }
    _exit(code);
}

/* ---- the launcher's own loop ---- */

static struct launch *find_by_pid(pid_t pid) {
    for (size_t i = 0; i < nlaunches; i++) {
        if (launches[i].pid == pid) {
            return &launches[i];
        }
    }
    return NULL;
}

static void forget(struct launch *l) {
    free(l->id);
    *l = launches[--nlaunches];
}

/* Fills r from a request's fields; returns NULL, or what is wrong with them. */
static const char *parse(char *fields[], int n, struct request *r) {
    memset(r, 0, sizeof *r);
    r->uid = r->gid = -1;
    for (int i = 0; i < n; i++) {
        char *f = fields[i];
        char *eq = strchr(f, '=');
        if (!eq) {
            return "a field without '='";
        }
        *eq = 0;
        const char *v = eq + 1;
        if (!strcmp(f, "id")) r->id = v;
        else if (!strcmp(f, "file")) r->file = v;
        else if (!strcmp(f, "dir")) r->dir = v;
        else if (!strcmp(f, "out")) r->out = v;
        else if (!strcmp(f, "err")) r->err = v;
        else if (!strcmp(f, "status")) r->status = v;
        else if (!strcmp(f, "tmp")) r->tmp = v;
        else if (!strcmp(f, "user")) r->user = v;
        else if (!strcmp(f, "uid")) r->uid = atol(v);
        else if (!strcmp(f, "gid")) r->gid = atol(v);
        else if (!strcmp(f, "pidns")) r->pidns = 1;
        else if (!strcmp(f, "mountns")) r->mountns = 1;
        else if (!strcmp(f, "netns")) r->netns = 1;
        else if (!strcmp(f, "arg")) {
            if (r->nargs == MAX_FIELDS) return "more than 4096 arguments";
            r->args[r->nargs++] = v;
        } else if (!strcmp(f, "env")) {
            if (r->nenvs == MAX_FIELDS) return "more than 4096 environment variables";
            r->envs[r->nenvs++] = v;
        } else if (!strcmp(f, "cgroup")) {
            if (r->ncgroups == 64) return "more than 64 cgroups";
            r->cgroups[r->ncgroups++] = v;
        } else if (strcmp(f, "op") && strcmp(f, "pid") && strcmp(f, "sig")) return "an unknown field";
    }
    if (!r->id || !r->file || r->nargs == 0) {
        return "no id, program or argv";
    }
    return r->user && (r->uid < 0 || r->gid < 0) ? "a user without uid and gid" : NULL;
}

static const char *field(char *fields[], int n, const char *key) {
    size_t k = strlen(key);
    for (int i = 0; i < n; i++) {
        if (!strncmp(fields[i], key, k) && fields[i][k] == '=') {
            return fields[i] + k + 1;
        }
    }
    return NULL;
}

static void handle(char *fields[], int n, int overflow) {
    const char *op = field(fields, n, "op");
    if (op && !strcmp(op, "signal")) {
        const char *pid = field(fields, n, "pid"), *sig = field(fields, n, "sig");
        if (pid && sig && atol(pid) > 1) {
            kill(-(pid_t) atol(pid), atoi(sig));
        }
        return;
    }
    const char *id = field(fields, n, "id");
    if (overflow) {
        emit("failed %s malformed launch request: more fields than a launch may have", id ? id : "?");
        return;
    }
    struct request r;
    const char *wrong = parse(fields, n, &r);
    if (wrong) {
        emit("failed %s malformed launch request: %s", id ? id : "?", wrong);
        return;
    }
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        emit("failed %s cannot make a pipe: %s", r.id, strerror(errno));
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        emit("failed %s cannot fork: %s", r.id, strerror(errno));
        close(pipefd[0]);
        close(pipefd[1]);
        return;
    }
    if (pid == 0) {
        close(pipefd[0]);
        supervisor(&r, pipefd[1]);
    }
    close(pipefd[1]);
    if (nlaunches == capacity) {
        capacity = capacity ? 2 * capacity : 256;
        launches = realloc(launches, capacity * sizeof *launches);
        if (!launches) {
            _exit(1);
        }
    }
    struct launch *l = &launches[nlaunches++];
    memset(l, 0, sizeof *l);
    l->id = strdup(r.id);
    l->pid = pid;
    l->errfd = pipefd[0];
}

/* Reads a launch's report pipe; at its end says started (nothing written: exec'd) or failed. */
static void drain(struct launch *l) {
    for (;;) {
        ssize_t n = read(l->errfd, l->message + l->length, sizeof l->message - 1 - l->length);
        if (n > 0) {
            l->length += n;
            if (l->length < sizeof l->message - 1) {
                continue;
            }
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return;
        }
        break;
    }
    close(l->errfd);
    l->errfd = -1;
    if (l->length == 0) {
        emit("started %s %d", l->id, (int) l->pid);
    } else {
        l->message[l->length] = 0;
        emit("failed %s %s", l->id, l->message);
    }
}

static void reap(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        struct launch *l = find_by_pid(pid);
        if (!l) {
            continue;
        }
        if (l->errfd >= 0) {
            drain(l); /* its pipe is at its end now: every writer has exited */
        }
        emit("exited %s %d", l->id, code_of(status));
        forget(l);
    }
}

int main(void) {
    /* Own session: a Ctrl-C meant for the agent's terminal does not stop the launcher. */
    setsid();
    signal(SIGPIPE, SIG_IGN);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        perror("tandem-launcher: signalfd");
        return 1;
    }
    fcntl(STDIN_FILENO, F_SETFD, FD_CLOEXEC);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    struct pollfd *fds = NULL;
    size_t fdcap = 0;
    static char *fields[2 * MAX_FIELDS + 80];
    for (;;) {
        if (fdcap < nlaunches + 2) {
            fdcap = 2 * (nlaunches + 2);
            fds = realloc(fds, fdcap * sizeof *fds);
        }
        size_t nfds = 0;
        fds[nfds++] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        fds[nfds++] = (struct pollfd){.fd = sfd, .events = POLLIN};
        for (size_t i = 0; i < nlaunches; i++) {
            fds[nfds++] = (struct pollfd){.fd = launches[i].errfd, .events = POLLIN};
        }
        if (poll(fds, nfds, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("tandem-launcher: poll");
            return 1;
        }
        /* Pipes before exits, so that "started" always comes before "exited". */
        for (size_t i = nlaunches; i-- > 0;) {
            if (launches[i].errfd >= 0 && fds[2 + i].revents) {
                drain(&launches[i]);
            }
        }
        if (fds[1].revents) {
            struct signalfd_siginfo info;
            while (read(sfd, &info, sizeof info) == sizeof info) {
            }
            reap();
        }
        if (fds[0].revents) {
            if (len == cap) {
                cap *= 2;
                buf = realloc(buf, cap);
            }
            ssize_t n = read(STDIN_FILENO, buf + len, cap - len);
            if (n == 0 || (n < 0 && errno != EINTR)) {
                return 0; /* the agent is gone; tasks and their supervisors go on */
            }
            len += n > 0 ? n : 0;
            size_t request = 0, start = 0;
            int nfields = 0, overflow = 0;
            for (size_t i = 0; i < len; i++) {
                if (buf[i] != 0) {
                    continue;
                }
                if (i == start) { /* an empty field ends the request */
                    handle(fields, nfields, overflow);
                    nfields = overflow = 0;
                    request = i + 1;
                } else if (nfields < (int) (sizeof fields / sizeof *fields)) {
                    fields[nfields++] = buf + start;
                } else {
                    overflow = 1; /* refused whole, never run with fields left out */
                }
                start = i + 1;
            }
            /* an unfinished request stays in the buffer and is read again with what follows */
            memmove(buf, buf + request, len - request);
            len -= request;
        }
    }
}
