// SPDX-License-Identifier: GPL-2.0
/*
 * The ivshmem server handshake, checked by a fake QEMU client.
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../ivshmem.h"
#include "unit.h"

/* One message: an int64 and maybe an fd (-1 if none). */
static int recv_msg(int sock, int64_t *val, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { val, sizeof(*val) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctrl.buf, .msg_controllen = sizeof(ctrl.buf),
	};
	struct cmsghdr *c;

	*fd = -1;
	if (recvmsg(sock, &msg, 0) != sizeof(*val))
		return -1;
	*val = (int64_t)le64toh((uint64_t)*val);
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

static void ivshmem_handshake_order(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int shm[2], cli, fd, i, host_fd[3], guest_fd[3];
	struct ivshmem_server s;
	char path[64];
	uint64_t one = 1, cnt;
	int64_t v;

	CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, shm));	/* any fd will do */
	snprintf(path, sizeof(path), "/tmp/hvhost-unit-ivs-%d.sock", (int)getpid());
	CHECK_EQ(ivshmem_listen(&s, path, 3, shm[0]), 0);
	strcpy(sa.sun_path, path);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(!connect(cli, (struct sockaddr *)&sa, sizeof(sa)));
	CHECK_EQ(ivshmem_accept(&s), 0);
	CHECK(access(path, F_OK) != 0);		/* the name is gone once connected */
	CHECK(!recv_msg(cli, &v, &fd));
	CHECK_EQ(v, 0);				/* protocol version */
	CHECK_EQ(fd, (uint64_t)-1);
	CHECK(!recv_msg(cli, &v, &fd));
	CHECK_EQ(v, IVSHMEM_CLIENT_ID);
	CHECK(!recv_msg(cli, &v, &fd));
	CHECK_EQ(v, (uint64_t)-1);		/* the shared memory */
	CHECK(fd >= 0);
	close(fd);
	for (i = 0; i < 3; i++) {
		CHECK(!recv_msg(cli, &v, &host_fd[i]));
		CHECK_EQ(v, HVSIM_HOST_PEER);
		CHECK(host_fd[i] >= 0);
	}
	for (i = 0; i < 3; i++) {
		CHECK(!recv_msg(cli, &v, &guest_fd[i]));
		CHECK_EQ(v, IVSHMEM_CLIENT_ID);
		CHECK(guest_fd[i] >= 0);
	}
	/* QEMU's doorbell for vector 2 wakes hvhost's eventfd 2 ... */
	CHECK_EQ(write(host_fd[2], &one, 8), 8);
	CHECK_EQ(read(s.doorbell_fd[2], &cnt, 8), 8);
	CHECK_EQ(cnt, 1);
	/* ... and hvhost raising vector 1 signals the client's eventfd 1. */
	ivshmem_raise(&s, 1);
	ivshmem_raise(&s, 1);
	ivshmem_raise(&s, 7);			/* no such vector: ignored */
	CHECK_EQ(read(guest_fd[1], &cnt, 8), 8);
	CHECK_EQ(cnt, 2);
	for (i = 0; i < 3; i++) {
		close(host_fd[i]);
		close(guest_fd[i]);
	}
	close(cli);
	ivshmem_close(&s);
	close(shm[0]);
	close(shm[1]);
}

const struct unit_test ivshmem_tests[] = {
	{ "ivshmem_handshake_order", ivshmem_handshake_order },
	{ NULL, NULL },
};
