// SPDX-License-Identifier: GPL-2.0
/*
 * hostctl COMMAND [ARGS...]: send one host-control command to hvhost
 * through hv_sim's debugfs file and print the answer.  Static, for the
 * test guest's initramfs.
 *
 * Exit status: 0 when the host answered, 1 otherwise (message on stderr,
 * with the host's explanation when it gave one).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HOSTCTL_PATH	"/sys/kernel/debug/hv_sim/hostctl"
#define TEXT_MAX	3840	/* HVSIM_TEXT_MAX */

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Read the whole answer from offset 0; returns its length or -1. */
static ssize_t read_answer(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	while (len < size) {
		n = read(fd, buf + len, size - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

int main(int argc, char **argv)
{
	static char cmd[TEXT_MAX + 1], answer[TEXT_MAX + 1];
	size_t len = 0, alen;
	ssize_t n;
	int i, fd;

	if (argc < 2) {
		fprintf(stderr, "usage: hostctl COMMAND [ARGS...]\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		alen = strlen(argv[i]);
		if (len + alen + (i > 1) > TEXT_MAX) {
			fprintf(stderr, "hostctl: command longer than %d bytes\n", TEXT_MAX);
			return 1;
		}
		if (i > 1)
			cmd[len++] = ' ';
		memcpy(cmd + len, argv[i], alen);
		len += alen;
	}

	fd = open(HOSTCTL_PATH, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "hostctl: %s: %s\n", HOSTCTL_PATH, strerror(errno));
		return 1;
	}
	if (write_all(fd, cmd, len) < 0) {
		int err = errno;

		fprintf(stderr, "hostctl: '%s' failed: %s\n", cmd, strerror(err));
		n = read_answer(fd, answer, TEXT_MAX);
		if (n > 0)
			fprintf(stderr, "hostctl: host says: %.*s\n", (int)n, answer);
		close(fd);
		return 1;
	}
	n = read_answer(fd, answer, TEXT_MAX);
	if (n < 0) {
		fprintf(stderr, "hostctl: reading the answer: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	if (n > 0 && fwrite(answer, 1, (size_t)n, stdout) != (size_t)n) {
		fprintf(stderr, "hostctl: writing the answer: %s\n", strerror(errno));
		return 1;
	}
	if (n > 0 && answer[n - 1] != '\n')
		putchar('\n');
	if (fflush(stdout) != 0) {
		fprintf(stderr, "hostctl: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
