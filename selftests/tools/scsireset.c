// SPDX-License-Identifier: GPL-2.0
/*
 * scsireset DEVICE device|target|bus|host: ask the SCSI midlayer for a
 * reset of that scope through the SG_SCSI_RESET ioctl on a disk's block
 * device (what sg_reset does; busybox has none).  The midlayer runs the
 * driver's error handler for it (eh_device_reset_handler for device and
 * target, eh_bus_reset / eh_host_reset_handler for bus and host).
 * Exit 0 when the reset succeeded, 1 with the error on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Older C library headers lack the target scope (Linux include/scsi/sg.h). */
#ifndef SG_SCSI_RESET_TARGET
#define SG_SCSI_RESET_TARGET	4
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct scope {
	const char *name;
	int op;
};

int main(int argc, char **argv)
{
	static const struct scope scopes[] = {
		{ "device", SG_SCSI_RESET_DEVICE }, { "target", SG_SCSI_RESET_TARGET },
		{ "bus", SG_SCSI_RESET_BUS }, { "host", SG_SCSI_RESET_HOST },
	};
	unsigned int i;
	int fd, op = -1;

	for (i = 0; argc == 3 && i < ARRAY_SIZE(scopes); i++)
		if (!strcmp(argv[2], scopes[i].name))
			op = scopes[i].op;
	if (op < 0) {
		fprintf(stderr, "usage: scsireset DEVICE device|target|bus|host\n");
		return 1;
	}
	fd = open(argv[1], O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "scsireset: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ioctl(fd, SG_SCSI_RESET, &op)) {
		fprintf(stderr, "scsireset: %s reset of %s: %s\n", argv[2], argv[1], strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
