/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Starting and stopping QEMU.
 */
#ifndef HVHOST_QEMU_H
#define HVHOST_QEMU_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct qemu_opts {
	const char *binary;		/* default qemu-system-x86_64 (PATH) */
	const char *kernel;
	const char *initrd;
	const char *append;
	const char *console;		/* ttyS0 into this file; NULL = our stdout */
	const char *ktap;		/* ttyS1 into this file; NULL = discarded */
	unsigned int smp;
	unsigned int mem_mib;
	const char *ram_path;		/* memory-backend-file mem-path */
	int keep_fd;			/* fd QEMU inherits (the RAM file), or -1 */
	const char *ivshmem_path;	/* the ivshmem server socket */
	const char *virtio_blk;		/* a virtio-blk disk on this raw file; NULL = none */
};

/*
 * Make @path the raw file of a --virtio-blk disk of @size bytes, the rules
 * of a --scsi LUN: created if missing, grown sparse to @size if shorter.  A
 * longer file is refused (QEMU's disk is the whole file, it must be @size;
 * a LUN only uses its first @size bytes).  Returns 0, or -1 with the reason
 * in @err.
 */
int qemu_disk_prepare(const char *path, uint64_t size, char *err, size_t errsz);

/*
 * Start QEMU.  The child gets @mask as its signal mask, /dev/null as stdin
 * and SIGKILL when hvhost dies.  Returns the pid, or -1 (logged) if QEMU
 * could not be executed.
 */
pid_t qemu_spawn(const struct qemu_opts *o, const sigset_t *mask);

/* SIGTERM, then SIGKILL after @grace_ms; reaps it.  Returns the wait status. */
int qemu_stop(pid_t pid, int grace_ms);

/* "exit status N" / "signal N" for a wait status. */
void qemu_status_str(int status, char *buf, size_t size);

#endif /* HVHOST_QEMU_H */
