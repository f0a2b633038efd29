// SPDX-License-Identifier: GPL-2.0
/*
 * The QEMU command line and process handling.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "qemu.h"

#define QEMU_DEFAULT		"qemu-system-x86_64"
#define QEMU_ARGS_MAX		64

struct argv_builder {
	char *argv[QEMU_ARGS_MAX];
	int argc;
	bool failed;
};

static void arg_add(struct argv_builder *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void arg_add(struct argv_builder *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (b->argc >= QEMU_ARGS_MAX - 1) {
		b->failed = true;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		s = NULL;
		b->failed = true;
	}
	va_end(ap);
	b->argv[b->argc++] = s;
	b->argv[b->argc] = NULL;
}

/* QEMU's option parser wants ',' doubled inside values. */
static char *qemu_escape(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *d = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		*d++ = *s;
		if (*s == ',')
			*d++ = ',';
	}
	*d = '\0';
	return out;
}

static void qemu_build(struct argv_builder *b, const struct qemu_opts *o)
{
	char *ram = qemu_escape(o->ram_path), *sock = qemu_escape(o->ivshmem_path);
	char *con = o->console ? qemu_escape(o->console) : NULL;
	char *ktap = o->ktap ? qemu_escape(o->ktap) : NULL;
	char *vblk = o->virtio_blk ? qemu_escape(o->virtio_blk) : NULL;

	if (!ram || !sock || (o->console && !con) || (o->ktap && !ktap) ||
	    (o->virtio_blk && !vblk)) {
		b->failed = true;
		goto out;
	}
	arg_add(b, "%s", o->binary ? o->binary : QEMU_DEFAULT);
	arg_add(b, "-accel");
	arg_add(b, "tcg");
	arg_add(b, "-nodefaults");
	arg_add(b, "-no-user-config");
	arg_add(b, "-display");
	arg_add(b, "none");
	arg_add(b, "-no-reboot");
	arg_add(b, "-machine");
	arg_add(b, "pc,memory-backend=mem");
	arg_add(b, "-m");
	arg_add(b, "%uM", o->mem_mib);
	arg_add(b, "-smp");
	arg_add(b, "%u", o->smp);
	arg_add(b, "-object");
	arg_add(b, "memory-backend-file,id=mem,size=%uM,mem-path=%s,share=on", o->mem_mib, ram);
	arg_add(b, "-chardev");
	arg_add(b, "socket,path=%s,id=ivs", sock);
	arg_add(b, "-device");
	arg_add(b, "ivshmem-doorbell,chardev=ivs,vectors=%u", o->smp);
	arg_add(b, "-chardev");
	if (con)
		arg_add(b, "file,id=con,path=%s", con);
	else
		arg_add(b, "stdio,id=con,signal=off");
	arg_add(b, "-chardev");
	if (ktap)
		arg_add(b, "file,id=ktap,path=%s", ktap);
	else
		arg_add(b, "null,id=ktap");
	arg_add(b, "-serial");
	arg_add(b, "chardev:con");
	arg_add(b, "-serial");
	arg_add(b, "chardev:ktap");
	if (vblk) {
		/*
		 * Served the way storvsp serves its LUNs, so that a benchmark
		 * compares the two paths and not two caching policies:
		 * preadv/pwritev on the raw file from a pool of threads
		 * (aio=threads), through the host page cache (cache=writeback:
		 * no O_DIRECT), flushes as fdatasync, discards as punched holes.
		 */
		arg_add(b, "-drive");
		arg_add(b, "file=%s,if=none,id=vblk0,format=raw,aio=threads,cache=writeback,discard=unmap",
			vblk);
		arg_add(b, "-device");
		arg_add(b, "virtio-blk-pci,drive=vblk0");
	}
	arg_add(b, "-kernel");
	arg_add(b, "%s", o->kernel);
	arg_add(b, "-initrd");
	arg_add(b, "%s", o->initrd);
	arg_add(b, "-append");
	arg_add(b, "%s", o->append);
out:
	free(ram);
	free(sock);
	free(con);
	free(ktap);
	free(vblk);
}

int qemu_disk_prepare(const char *path, uint64_t size, char *err, size_t errsz)
{
	struct stat st;
	int fd, rc = -1;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		snprintf(err, errsz, "%s: not a regular file", path);
	else if ((uint64_t)st.st_size > size)
		snprintf(err, errsz, "%s is %llu bytes, more than the disk's %llu", path,
			 (unsigned long long)st.st_size, (unsigned long long)size);
	else if ((uint64_t)st.st_size < size && ftruncate(fd, (off_t)size))
		snprintf(err, errsz, "%s: cannot grow to %llu bytes: %s", path,
			 (unsigned long long)size, strerror(errno));
	else
		rc = 0;
	close(fd);
	return rc;
}

static void qemu_log_cmdline(struct argv_builder *b)
{
	char line[4096];
	struct strbuf sb;
	int i;

	sb_init(&sb, line, sizeof(line));
	for (i = 0; i < b->argc; i++)
		sb_printf(&sb, "%s%s", i ? " " : "", b->argv[i]);
	hv_dbg("starting %s", line);
}

/* In the child between fork and exec: only async-signal-safe calls. */
static void qemu_child(struct argv_builder *b, const struct qemu_opts *o,
		       const sigset_t *mask, pid_t parent, int err_fd)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int null, e;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	null = open("/dev/null", O_RDONLY);
	if (null >= 0) {
		dup2(null, 0);
		if (null != 0)
			close(null);
	}
	if (o->keep_fd >= 0)
		fcntl(o->keep_fd, F_SETFD, 0);
	sigaction(SIGPIPE, &dfl, NULL);	/* hvhost ignores it; QEMU inherits that */
	sigprocmask(SIG_SETMASK, mask, NULL);
	execvp(b->argv[0], b->argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

pid_t qemu_spawn(const struct qemu_opts *o, const sigset_t *mask)
{
	struct argv_builder b = { .argc = 0 };
	pid_t pid = -1, parent = getpid();
	int pipefd[2], e = 0, i;
	ssize_t n;

	qemu_build(&b, o);
	if (b.failed) {
		hv_err("cannot build the QEMU command line");
		goto out;
	}
	qemu_log_cmdline(&b);
	if (pipe2(pipefd, O_CLOEXEC)) {
		hv_err("pipe: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		qemu_child(&b, o, mask, parent, pipefd[1]);
	close(pipefd[1]);
	if (pid < 0) {
		hv_err("fork: %s", strerror(errno));
	} else {
		do {
			n = read(pipefd[0], &e, sizeof(e));
		} while (n < 0 && errno == EINTR);
		if (n == sizeof(e)) {
			hv_err("cannot start %s: %s", b.argv[0], strerror(e));
			waitpid(pid, NULL, 0);
			pid = -1;
		}
	}
	close(pipefd[0]);
out:
	for (i = 0; i < b.argc; i++)
		free(b.argv[i]);
	return pid;
}

int qemu_stop(pid_t pid, int grace_ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int status = 0, waited = 0;
	pid_t r;

	kill(pid, SIGTERM);
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return status;
		if (waited >= grace_ms)
			break;
		nanosleep(&ts, NULL);
		waited += 10;
	}
	hv_err("QEMU did not stop within %d ms, killing it", grace_ms);
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

void qemu_status_str(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "wait status 0x%x", status);
}
