// SPDX-License-Identifier: GPL-2.0
/*
 * `hvhost run`: guest RAM and the BAR2 object, the ivshmem server, QEMU,
 * one service thread per VP, and the main loop (QEMU's exit, signals, the
 * control socket, VM events from the guest, the timeout).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "ivshmem.h"
#include "log.h"
#include "mailbox.h"
#include "partition.h"
#include "pvh.h"
#include "qemu.h"
#include "reftime.h"
#include "run.h"
#include "services.h"
#include "vmbus_srv.h"

#define CONNECT_TIMEOUT_MS	30000	/* QEMU start to ivshmem connect */
#define CRASH_GRACE_MS		500	/* let a follow-up report (message) in */
#define STOP_GRACE_MS		3000	/* SIGTERM to SIGKILL */
#define DEFAULT_APPEND		"console=ttyS0 tsc=reliable panic=-1"

struct vp_thread {
	struct run_ctx *rc;
	unsigned int vp;
	pthread_t tid;
	bool started;
};

struct run_ctx {
	const struct run_opts *o;
	struct partition part;
	bool part_ready;
	struct ivshmem_server ivs;
	bool ivs_ready;
	void *ram;
	uint64_t ram_size;
	int ram_fd;
	void *shm;
	int shm_fd;
	int stop_fd;			/* VP threads -> main loop: a VM event */
	int sig_fd;
	int ctl_fd;
	char ctl_path[108];
	char tmpdir[64];
	char sock_path[108];
	int vm_crash;			/* atomic flags set by VP threads */
	int vm_reset;
	int stopping;
	pid_t qemu;
	uint64_t t_start;
	struct vp_thread thr[HVSIM_MAX_VPS];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void run_raise_irq(void *ctx, unsigned int vp)
{
	struct run_ctx *rc = ctx;

	ivshmem_raise(&rc->ivs, vp);
}

static void run_vm_event(void *ctx, enum vm_event ev)
{
	struct run_ctx *rc = ctx;
	uint64_t one = 1;

	if (ev == VM_EVENT_CRASH)
		__atomic_store_n(&rc->vm_crash, 1, __ATOMIC_SEQ_CST);
	else
		__atomic_store_n(&rc->vm_reset, 1, __ATOMIC_SEQ_CST);
	if (write(rc->stop_fd, &one, sizeof(one)) < 0)
		hv_err("cannot signal the main loop: %s", strerror(errno));
}

static struct hvsim_mailbox *vp_mailbox(struct run_ctx *rc, unsigned int vp)
{
	return (struct hvsim_mailbox *)((uint8_t *)rc->shm + HVSIM_MAILBOX_OFFSET +
					(size_t)vp * HVSIM_MAILBOX_SIZE);
}

/* One per VP: sleep on the doorbell, then serve the mailbox. */
static void *vp_thread_fn(void *arg)
{
	struct vp_thread *t = arg;
	struct run_ctx *rc = t->rc;
	struct hvsim_mailbox *mb = vp_mailbox(rc, t->vp);
	uint64_t cnt;
	ssize_t n;

	for (;;) {
		n = read(rc->ivs.doorbell_fd[t->vp], &cnt, sizeof(cnt));
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			hv_err("vp %u: doorbell read: %s", t->vp, strerror(errno));
			break;
		}
		if (__atomic_load_n(&rc->stopping, __ATOMIC_ACQUIRE))
			break;
		/* Doorbells coalesce: the sequence numbers say what is to do. */
		while (mailbox_process(&rc->part, t->vp, mb))
			;
	}
	return NULL;
}

/*
 * Guest RAM: a file in /dev/shm, mapped here and by QEMU.  QEMU inherits
 * the open file and maps it as /proc/self/fd/N, so the name can go right
 * away: nothing is left behind, whatever way hvhost or QEMU ends.
 */
static int setup_ram(struct run_ctx *rc, char *mem_path, size_t size)
{
	char path[] = "/dev/shm/hvhost-ram-XXXXXX";

	rc->ram_size = (uint64_t)rc->o->mem_mib << 20;
	rc->ram_fd = mkostemp(path, O_CLOEXEC);
	if (rc->ram_fd < 0) {
		hv_err("cannot create the guest RAM file in /dev/shm: %s", strerror(errno));
		return -1;
	}
	unlink(path);
	if (ftruncate(rc->ram_fd, rc->ram_size)) {
		hv_err("cannot size the guest RAM file: %s", strerror(errno));
		return -1;
	}
	rc->ram = mmap(NULL, rc->ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, rc->ram_fd, 0);
	if (rc->ram == MAP_FAILED) {
		rc->ram = NULL;
		hv_err("cannot map guest RAM: %s", strerror(errno));
		return -1;
	}
	snprintf(mem_path, size, "/proc/self/fd/%d", rc->ram_fd);
	return 0;
}

/* BAR2: a memfd holding the header and the per-VP mailboxes. */
static int setup_shm(struct run_ctx *rc)
{
	rc->shm_fd = memfd_create("hvhost-bar2", MFD_CLOEXEC);
	if (rc->shm_fd < 0 || ftruncate(rc->shm_fd, HVSIM_SHM_SIZE)) {
		hv_err("cannot create the shared-memory object: %s", strerror(errno));
		return -1;
	}
	rc->shm = mmap(NULL, HVSIM_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, rc->shm_fd, 0);
	if (rc->shm == MAP_FAILED) {
		rc->shm = NULL;
		hv_err("cannot map the shared-memory object: %s", strerror(errno));
		return -1;
	}
	mailbox_fill_header(rc->shm, rc->o->smp, rc->ram_size);
	return 0;
}

static int setup_partition(struct run_ctx *rc)
{
	struct partition_ops ops = {
		.raise_irq = run_raise_irq,
		.vm_event = run_vm_event,
		.ctx = rc,
	};
	int err;

	err = partition_init(&rc->part, rc->ram, rc->ram_size, rc->o->smp, &ops);
	if (err) {
		hv_err("partition setup failed: %s", strerror(-err));
		return -1;
	}
	rc->part_ready = true;
	rc->part.crash_path = rc->o->crash_report;
	rc->part.tsc_hz = tsc_calibrate();
	hv_dbg("host TSC %llu Hz", (unsigned long long)rc->part.tsc_hz);
	if (services_register_test(&rc->part)) {
		hv_err("cannot register the test services");
		return -1;
	}
	err = hvh_srv_create(&rc->part, &rc->o->vmbus);
	if (err) {
		hv_err("cannot create the VMBus server: %s", strerror(-err));
		return -1;
	}
	return 0;
}

static int setup_ctl(struct run_ctx *rc)
{
	if (rc->o->ctl_socket)
		snprintf(rc->ctl_path, sizeof(rc->ctl_path), "%s", rc->o->ctl_socket);
	else
		ctlsock_default_path(rc->ctl_path, sizeof(rc->ctl_path));
	rc->ctl_fd = ctlsock_listen(rc->ctl_path);
	if (rc->ctl_fd >= 0)
		return 0;
	if (rc->o->ctl_socket)
		return -1;
	hv_info("running without a control socket");
	return 0;
}

static int start_threads(struct run_ctx *rc)
{
	unsigned int i;

	for (i = 0; i < rc->o->smp; i++) {
		rc->thr[i].rc = rc;
		rc->thr[i].vp = i;
		if (pthread_create(&rc->thr[i].tid, NULL, vp_thread_fn, &rc->thr[i])) {
			hv_err("cannot start the VP threads");
			return -1;
		}
		rc->thr[i].started = true;
	}
	return 0;
}

static void stop_threads(struct run_ctx *rc)
{
	uint64_t one = 1;
	unsigned int i;

	__atomic_store_n(&rc->stopping, 1, __ATOMIC_RELEASE);
	for (i = 0; i < HVSIM_MAX_VPS; i++) {
		if (!rc->thr[i].started)
			continue;
		if (write(rc->ivs.doorbell_fd[i], &one, sizeof(one)) < 0)
			hv_err("cannot wake vp thread %u", i);
		pthread_join(rc->thr[i].tid, NULL);
		rc->thr[i].started = false;
	}
}

/* Stop QEMU if it still runs. */
static void run_stop_qemu(struct run_ctx *rc)
{
	if (rc->qemu <= 0)
		return;
	qemu_stop(rc->qemu, STOP_GRACE_MS);
	rc->qemu = -1;
}

/* A pending signal from the signalfd: 0 for SIGCHLD, else the signal number. */
static int read_signal(struct run_ctx *rc)
{
	struct signalfd_siginfo si;

	if (read(rc->sig_fd, &si, sizeof(si)) != sizeof(si))
		return 0;
	return si.ssi_signo == SIGCHLD ? 0 : (int)si.ssi_signo;
}

/* Did QEMU exit?  Then store its wait status and forget the pid. */
static bool qemu_reaped(struct run_ctx *rc, int *status)
{
	pid_t r = waitpid(rc->qemu, status, WNOHANG);

	if (r != rc->qemu)
		return false;
	rc->qemu = -1;
	return true;
}

static int wait_connect(struct run_ctx *rc, uint64_t deadline)
{
	struct pollfd pfd[2] = {
		{ .fd = rc->ivs.listen_fd, .events = POLLIN },
		{ .fd = rc->sig_fd, .events = POLLIN },
	};
	char desc[64];
	int status, sig, n;

	for (;;) {
		uint64_t now = now_ms();

		if (now >= deadline) {
			hv_err("QEMU did not connect to the ivshmem server in time");
			return RUN_EXIT_ERROR;
		}
		n = poll(pfd, 2, (int)(deadline - now));
		if (n < 0 && errno != EINTR)
			return RUN_EXIT_ERROR;
		if (n > 0 && (pfd[1].revents & POLLIN)) {
			sig = read_signal(rc);
			if (sig) {
				hv_err("stopped by signal %d", sig);
				return 128 + sig;
			}
			if (qemu_reaped(rc, &status)) {
				qemu_status_str(status, desc, sizeof(desc));
				hv_err("QEMU exited before connecting (%s)", desc);
				return RUN_EXIT_ERROR;
			}
		}
		if (n > 0 && (pfd[0].revents & POLLIN))
			return ivshmem_accept(&rc->ivs) ? RUN_EXIT_ERROR : -1;
	}
}

/* The end of a VM that ended by itself (QEMU exited with @status). */
static int qemu_exit_result(struct run_ctx *rc, int status)
{
	int ex = partition_exit_status(&rc->part);
	char desc[64];

	if (__atomic_load_n(&rc->vm_crash, __ATOMIC_SEQ_CST))
		return RUN_EXIT_CRASH;
	if (!__atomic_load_n(&rc->vm_reset, __ATOMIC_SEQ_CST) &&
	    !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		qemu_status_str(status, desc, sizeof(desc));
		hv_err("QEMU failed (%s)", desc);
		return RUN_EXIT_ERROR;
	}
	hv_dbg("the guest ended after %.1f s", (now_ms() - rc->t_start) / 1000.0);
	return ex >= 0 ? ex : RUN_EXIT_OK;
}

static int main_loop(struct run_ctx *rc)
{
	uint64_t deadline = rc->o->timeout_s ? rc->t_start + rc->o->timeout_s * 1000ULL : 0;
	uint64_t crash_deadline = 0, cnt, now, wake;
	struct pollfd pfd[4];
	int status, sig, n, nfd, ex;

	for (;;) {
		nfd = 0;
		pfd[nfd++] = (struct pollfd){ .fd = rc->sig_fd, .events = POLLIN };
		pfd[nfd++] = (struct pollfd){ .fd = rc->stop_fd, .events = POLLIN };
		if (rc->ctl_fd >= 0)
			pfd[nfd++] = (struct pollfd){ .fd = rc->ctl_fd, .events = POLLIN };
		now = now_ms();
		wake = deadline;
		if (crash_deadline && (!wake || crash_deadline < wake))
			wake = crash_deadline;
		if (wake && now >= wake) {
			if (crash_deadline && now >= crash_deadline) {
				run_stop_qemu(rc);
				return RUN_EXIT_CRASH;
			}
			hv_err("timeout after %u s, killing QEMU", rc->o->timeout_s);
			run_stop_qemu(rc);
			return RUN_EXIT_TIMEOUT;
		}
		n = poll(pfd, nfd, wake ? (int)(wake - now) : -1);
		if (n < 0 && errno != EINTR) {
			hv_err("poll: %s", strerror(errno));
			return RUN_EXIT_ERROR;
		}
		if (n <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			sig = read_signal(rc);
			if (sig) {
				hv_err("stopped by signal %d, stopping QEMU", sig);
				run_stop_qemu(rc);
				return 128 + sig;
			}
			if (qemu_reaped(rc, &status))
				return qemu_exit_result(rc, status);
		}
		if (pfd[1].revents & POLLIN) {
			if (read(rc->stop_fd, &cnt, sizeof(cnt)) < 0)
				hv_err("stop event read: %s", strerror(errno));
			if (__atomic_load_n(&rc->vm_crash, __ATOMIC_SEQ_CST)) {
				if (!crash_deadline)
					crash_deadline = now_ms() + CRASH_GRACE_MS;
			} else if (__atomic_load_n(&rc->vm_reset, __ATOMIC_SEQ_CST)) {
				run_stop_qemu(rc);
				ex = partition_exit_status(&rc->part);
				return ex >= 0 ? ex : RUN_EXIT_OK;
			}
		}
		if (nfd > 2 && (pfd[2].revents & POLLIN))
			ctlsock_serve(rc->ctl_fd, &rc->part);
	}
}

static int setup_signals(struct run_ctx *rc, sigset_t *orig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, orig))
		return -1;
	rc->sig_fd = signalfd(-1, &set, SFD_CLOEXEC);
	return rc->sig_fd < 0 ? -1 : 0;
}

static void run_cleanup(struct run_ctx *rc)
{
	run_stop_qemu(rc);
	stop_threads(rc);
	if (rc->ivs_ready)
		ivshmem_close(&rc->ivs);
	if (rc->ctl_fd >= 0) {
		close(rc->ctl_fd);
		unlink(rc->ctl_path);
	}
	if (rc->tmpdir[0])
		rmdir(rc->tmpdir);
	if (rc->part_ready) {
		hvh_srv_destroy(&rc->part);
		partition_destroy(&rc->part);
	}
	if (rc->shm)
		munmap(rc->shm, HVSIM_SHM_SIZE);
	if (rc->ram)
		munmap(rc->ram, rc->ram_size);
	if (rc->shm_fd >= 0)
		close(rc->shm_fd);
	if (rc->ram_fd >= 0)
		close(rc->ram_fd);
	if (rc->stop_fd >= 0)
		close(rc->stop_fd);
	if (rc->sig_fd >= 0)
		close(rc->sig_fd);
}

static int check_readable(const char *what, const char *path)
{
	if (access(path, R_OK) == 0)
		return 0;
	hv_err("%s %s: %s", what, path, strerror(errno));
	return -1;
}

int run_vm(const struct run_opts *o)
{
	struct run_ctx rc = {
		.o = o, .ram_fd = -1, .shm_fd = -1, .stop_fd = -1, .sig_fd = -1,
		.ctl_fd = -1, .qemu = -1,
	};
	char mem_path[64], kernel[4096];
	struct qemu_opts qo;
	int ret = RUN_EXIT_ERROR;
	sigset_t orig;

	signal(SIGPIPE, SIG_IGN);
	if (check_readable("kernel", o->kernel) || check_readable("initrd", o->initrd) ||
	    (o->virtio_blk && check_readable("virtio-blk file", o->virtio_blk)))
		return RUN_EXIT_ERROR;
	snprintf(kernel, sizeof(kernel), "%s", o->kernel);
	if (o->vmlinux_pvh && pvh_vmlinux(o->kernel, kernel, sizeof(kernel)))
		return RUN_EXIT_ERROR;
	if (setup_signals(&rc, &orig)) {
		hv_err("signal setup failed: %s", strerror(errno));
		goto out;
	}
	rc.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (rc.stop_fd < 0 || setup_ram(&rc, mem_path, sizeof(mem_path)) || setup_shm(&rc) ||
	    setup_partition(&rc) || setup_ctl(&rc))
		goto out;
	snprintf(rc.tmpdir, sizeof(rc.tmpdir), "/tmp/hvhost-ivs-XXXXXX");
	if (!mkdtemp(rc.tmpdir)) {
		hv_err("mkdtemp: %s", strerror(errno));
		rc.tmpdir[0] = '\0';
		goto out;
	}
	snprintf(rc.sock_path, sizeof(rc.sock_path), "%s/ivshmem.sock", rc.tmpdir);
	rc.ivs_ready = true;
	if (ivshmem_listen(&rc.ivs, rc.sock_path, o->smp, rc.shm_fd))
		goto out;

	qo = (struct qemu_opts){
		.binary = o->qemu, .kernel = kernel, .initrd = o->initrd,
		.append = o->append ? o->append : DEFAULT_APPEND,
		.console = o->console, .ktap = o->ktap, .smp = o->smp, .mem_mib = o->mem_mib,
		.ram_path = mem_path, .keep_fd = rc.ram_fd, .ivshmem_path = rc.sock_path,
		.virtio_blk = o->virtio_blk,
	};
	rc.t_start = now_ms();
	rc.qemu = qemu_spawn(&qo, &orig);
	if (rc.qemu < 0)
		goto out;
	ret = wait_connect(&rc, rc.t_start + CONNECT_TIMEOUT_MS);
	if (ret >= 0)
		goto out;
	hv_dbg("QEMU connected after %llu ms", (unsigned long long)(now_ms() - rc.t_start));
	ret = RUN_EXIT_ERROR;
	if (start_threads(&rc))
		goto out;
	ret = main_loop(&rc);
out:
	run_cleanup(&rc);
	return ret;
}
