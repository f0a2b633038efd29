// SPDX-License-Identifier: GPL-2.0
/*
 * The ivshmem server side of the sim transport (protocol in ivshmem.h).
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ivshmem.h"
#include "log.h"

#define IVSHMEM_PROTOCOL_VERSION	0
#define IVSHMEM_HOST_ID			HVSIM_HOST_PEER

/* One little-endian int64, optionally with one fd (SCM_RIGHTS). */
static int ivshmem_send(int sock, int64_t value, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	int64_t le = (int64_t)htole64((uint64_t)value);
	struct iovec iov = { &le, sizeof(le) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;
	ssize_t n;

	if (fd >= 0) {
		memset(&ctrl, 0, sizeof(ctrl));
		msg.msg_control = ctrl.buf;
		msg.msg_controllen = sizeof(ctrl.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(le) ? 0 : -1;
}

int ivshmem_listen(struct ivshmem_server *s, const char *path, unsigned int vectors,
		   int shm_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned int v;

	memset(s, 0, sizeof(*s));
	s->listen_fd = -1;
	s->conn_fd = -1;
	s->shm_fd = shm_fd;
	s->vectors = vectors;
	for (v = 0; v < HVSIM_MAX_VPS; v++) {
		s->doorbell_fd[v] = -1;
		s->irq_fd[v] = -1;
	}
	if (strlen(path) >= sizeof(sa.sun_path) || vectors > HVSIM_MAX_VPS) {
		hv_err("bad ivshmem socket path or vector count");
		return -1;
	}
	strcpy(s->path, path);
	strcpy(sa.sun_path, path);
	for (v = 0; v < vectors; v++) {
		s->doorbell_fd[v] = eventfd(0, EFD_CLOEXEC);
		s->irq_fd[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (s->doorbell_fd[v] < 0 || s->irq_fd[v] < 0) {
			hv_err("eventfd: %s", strerror(errno));
			return -1;
		}
	}
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(s->listen_fd, 1)) {
		hv_err("ivshmem socket %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int ivshmem_accept(struct ivshmem_server *s)
{
	unsigned int v;
	int fd, rc;

	fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0) {
		hv_err("ivshmem accept: %s", strerror(errno));
		return -1;
	}
	rc = ivshmem_send(fd, IVSHMEM_PROTOCOL_VERSION, -1);
	rc = rc ?: ivshmem_send(fd, IVSHMEM_CLIENT_ID, -1);
	rc = rc ?: ivshmem_send(fd, -1, s->shm_fd);
	for (v = 0; v < s->vectors; v++)
		rc = rc ?: ivshmem_send(fd, IVSHMEM_HOST_ID, s->doorbell_fd[v]);
	for (v = 0; v < s->vectors; v++)
		rc = rc ?: ivshmem_send(fd, IVSHMEM_CLIENT_ID, s->irq_fd[v]);
	if (rc) {
		hv_err("ivshmem handshake failed: %s", strerror(errno));
		close(fd);
		return -1;
	}
	s->conn_fd = fd;
	/* One client only: the listening socket and its name are done. */
	close(s->listen_fd);
	s->listen_fd = -1;
	unlink(s->path);
	return 0;
}

void ivshmem_raise(struct ivshmem_server *s, unsigned int v)
{
	uint64_t one = 1;
	ssize_t n;

	if (v >= s->vectors)
		return;
	n = write(s->irq_fd[v], &one, sizeof(one));
	(void)n;	/* EAGAIN only if 2^64 - 2 signals are pending: coalesced anyway */
}

void ivshmem_close(struct ivshmem_server *s)
{
	unsigned int v;

	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		unlink(s->path);
	}
	if (s->conn_fd >= 0)
		close(s->conn_fd);
	for (v = 0; v < HVSIM_MAX_VPS; v++) {
		if (s->doorbell_fd[v] >= 0)
			close(s->doorbell_fd[v]);
		if (s->irq_fd[v] >= 0)
			close(s->irq_fd[v]);
	}
	s->listen_fd = -1;
	s->conn_fd = -1;
}
