/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvhost as the ivshmem server (and peer 0) of QEMU's ivshmem-doorbell
 * device.  Right after accept() the server sends, one int64 per message:
 * protocol version 0; the client's id (1); -1 with the shared-memory fd;
 * for each vector the host peer's id (0) with an eventfd hvhost keeps (the
 * guest's doorbell (0 << 16) | v makes it readable); for each vector the
 * client's id (1) with an eventfd hvhost writes to raise MSI-X vector v.
 */
#ifndef HVHOST_IVSHMEM_H
#define HVHOST_IVSHMEM_H

#include <stdint.h>

#include "hyperv/hvsim.h"

#define IVSHMEM_CLIENT_ID	1

struct ivshmem_server {
	int listen_fd;
	int conn_fd;			/* QEMU; hang-up means QEMU exited */
	char path[108];
	unsigned int vectors;
	int shm_fd;
	int doorbell_fd[HVSIM_MAX_VPS];	/* guest -> host, one per vector */
	int irq_fd[HVSIM_MAX_VPS];	/* host -> guest, one per vector */
};

/* Create the eventfds and listen on @path.  Returns 0 or -1 (logged). */
int ivshmem_listen(struct ivshmem_server *s, const char *path, unsigned int vectors,
		   int shm_fd);
/* Accept QEMU (listen_fd is readable) and send the handshake.  0 or -1. */
int ivshmem_accept(struct ivshmem_server *s);
/* Raise MSI-X vector @v in the guest. */
void ivshmem_raise(struct ivshmem_server *s, unsigned int v);
void ivshmem_close(struct ivshmem_server *s);

#endif /* HVHOST_IVSHMEM_H */
