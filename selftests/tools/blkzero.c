// SPDX-License-Identifier: GPL-2.0
/*
 * blkzero DEVICE OFFSET LENGTH: zero a byte range of a block device with
 * the BLKZEROOUT ioctl (what `blkdiscard -z` does; busybox has no -z).
 * The SCSI disk driver turns it into WRITE SAME when the device allows.
 * Exit 0 on success, 1 with the error on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int parse(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return *s < '0' || *s > '9' || *end || errno ? -1 : 0;
}

int main(int argc, char **argv)
{
	uint64_t range[2];
	int fd;

	if (argc != 4 || parse(argv[2], &range[0]) || parse(argv[3], &range[1])) {
		fprintf(stderr, "usage: blkzero DEVICE OFFSET LENGTH\n");
		return 1;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "blkzero: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ioctl(fd, BLKZEROOUT, range)) {
		fprintf(stderr, "blkzero: BLKZEROOUT %s: %s\n", argv[1], strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
