/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `hvhost run`: set up the partition, start QEMU, serve the guest.
 */
#ifndef HVHOST_RUN_H
#define HVHOST_RUN_H

#include <stdbool.h>

#include "vmbus_srv.h"

/* Exit statuses of `hvhost run`. */
#define RUN_EXIT_OK		0
#define RUN_EXIT_ERROR		1
#define RUN_EXIT_CONFIG		2	/* bad --vmbus-config file, nothing started */
#define RUN_EXIT_CRASH		3
#define RUN_EXIT_TIMEOUT	124

struct run_opts {
	const char *kernel;
	const char *initrd;
	const char *append;
	const char *console;
	const char *ktap;
	const char *crash_report;
	const char *ctl_socket;		/* NULL = the default path, not fatal if busy */
	const char *qemu;
	const char *virtio_blk;		/* --virtio-blk FILE, NULL = none */
	unsigned int smp;
	unsigned int mem_mib;
	unsigned int timeout_s;		/* 0 = none */
	bool vmlinux_pvh;
	struct hvh_config vmbus;	/* --vmbus-* */
};

/* Returns the exit status of `hvhost run`. */
int run_vm(const struct run_opts *o);

#endif /* HVHOST_RUN_H */
