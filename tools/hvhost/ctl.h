/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control commands, one processor for both paths: the control socket
 * (`hvhost ctl COMMAND`) and the guest's HVSIM_OP_HOSTCTL mailbox op.
 * Answers have no trailing newline; multi-line answers are '\n'-separated.
 */
#ifndef HVHOST_CTL_H
#define HVHOST_CTL_H

#include <stdbool.h>
#include <stddef.h>

#include "partition.h"

/* Longest command line accepted (the socket path; HOSTCTL is shorter). */
#define CTL_CMD_MAX		4096
/* Answer buffer the socket path uses. */
#define CTL_ANSWER_MAX		65536

/*
 * Run command line @cmd (NUL-terminated, words separated by blanks) and
 * write the answer into @out (NUL-terminated, cut to @outsz - 1 bytes).
 * Returns 0 on success, -1 on error; an error answer starts with "error:".
 * Thread-safe.
 */
int ctl_exec(struct partition *p, const char *cmd, char *out, size_t outsz);

/* Control socket.  Returns the listening fd or -1 (message already logged). */
int ctlsock_listen(const char *path);
/* Accept one client on @fd, answer its command and hang up. */
void ctlsock_serve(int fd, struct partition *p);
/* `hvhost ctl`: send @argv joined by blanks to @path, print the answer. */
int ctlsock_client(const char *path, int argc, char **argv);
/* The default socket path, /tmp/hvhost-<uid>.sock. */
void ctlsock_default_path(char *buf, size_t size);

#endif /* HVHOST_CTL_H */
