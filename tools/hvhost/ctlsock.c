// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: a unix stream socket; a client sends one command
 * line, hvhost answers with the text plus a newline and hangs up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"

#define CTL_IO_TIMEOUT_MS	2000

void ctlsock_default_path(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/hvhost-%u.sock", (unsigned int)getuid());
}

static int ctl_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		hv_err("control socket path too long: %s", path);
		return -1;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

int ctlsock_listen(const char *path)
{
	struct sockaddr_un sa;
	int fd, probe;

	if (ctl_addr(&sa, path))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* A socket file nobody answers on is a leftover: replace it. */
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		close(probe);
		close(fd);
		hv_err("control socket %s is in use by another hvhost", path);
		return -1;
	}
	if (probe >= 0)
		close(probe);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 8)) {
		hv_err("control socket %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void set_timeouts(int fd)
{
	struct timeval tv = { CTL_IO_TIMEOUT_MS / 1000, (CTL_IO_TIMEOUT_MS % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

void ctlsock_serve(int lfd, struct partition *p)
{
	char cmd[CTL_CMD_MAX + 1];
	size_t len = 0;
	char *answer;
	ssize_t n;
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	set_timeouts(fd);
	while (len < CTL_CMD_MAX) {
		n = recv(fd, cmd + len, CTL_CMD_MAX - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		if (memchr(cmd + len - n, '\n', n))
			break;
	}
	cmd[len] = '\0';
	if (memchr(cmd, '\n', len))
		*(char *)memchr(cmd, '\n', len) = '\0';
	answer = malloc(CTL_ANSWER_MAX);
	if (answer) {
		ctl_exec(p, cmd, answer, CTL_ANSWER_MAX - 1);
		strcat(answer, "\n");
		write_all(fd, answer, strlen(answer));
		free(answer);
	}
	close(fd);
}

int ctlsock_client(const char *path, int argc, char **argv)
{
	char buf[4096], cmd[CTL_CMD_MAX + 2];
	struct sockaddr_un sa;
	size_t len = 0, alen = 0, cap = 0;
	char *answer = NULL, *tmp;
	int fd, i, rc = 1;
	ssize_t n;

	for (i = 0; i < argc; i++) {
		size_t w = strlen(argv[i]);

		if (len + w + 2 > sizeof(cmd)) {
			fprintf(stderr, "hvhost ctl: command too long\n");
			return 1;
		}
		if (i)
			cmd[len++] = ' ';
		memcpy(cmd + len, argv[i], w);
		len += w;
	}
	cmd[len++] = '\n';
	if (ctl_addr(&sa, path))
		return 1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "hvhost ctl: cannot connect to %s: %s\n", path, strerror(errno));
		goto out;
	}
	set_timeouts(fd);
	if (write_all(fd, cmd, len)) {
		fprintf(stderr, "hvhost ctl: sending to %s failed\n", path);
		goto out;
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "hvhost ctl: no answer from %s\n", path);
			goto out;
		}
		if (!n)
			break;
		if (alen + n + 1 > cap) {
			cap = (alen + n + 1) * 2;
			tmp = realloc(answer, cap);
			if (!tmp)
				goto out;
			answer = tmp;
		}
		memcpy(answer + alen, buf, n);
		alen += n;
	}
	if (!alen) {
		fprintf(stderr, "hvhost ctl: empty answer from %s\n", path);
		goto out;
	}
	answer[alen] = '\0';
	if (!strncmp(answer, "error:", 6)) {
		fputs(answer, stderr);
	} else {
		fputs(answer, stdout);
		rc = 0;
	}
out:
	free(answer);
	if (fd >= 0)
		close(fd);
	return rc;
}
