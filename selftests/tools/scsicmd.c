// SPDX-License-Identifier: GPL-2.0
/*
 * scsicmd DEVICE CDB-HEX LEN: send one SCSI command through the SG_IO ioctl
 * of a disk's block device and print what came back, on one line:
 *   status=0x02 host=0x00 sense=03/11/00 resid=0
 * status is the SCSI status byte, host the midlayer's host byte (DID_*),
 * sense the key/ASC/ASCQ of fixed or descriptor sense data ("none" when the
 * device sent none) and resid the bytes of LEN that were not transferred.
 * LEN is the data-in length (0: no data).  Tests use it to see the status
 * and sense the driver hands the midlayer, which the kernel log shows only
 * rate-limited.  Exit 0 when the ioctl ran (whatever the status), 1 when
 * it could not be sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_CDB		16
#define MAX_LEN		(1 << 20)
#define SENSE_LEN	64

static int parse_cdb(const char *hex, unsigned char *cdb)
{
	size_t n = strlen(hex), i;
	char byte[3] = { 0 };
	char *end;

	if (n < 12 || n > 2 * MAX_CDB || n % 2)
		return -1;
	for (i = 0; i < n / 2; i++) {
		byte[0] = hex[2 * i];
		byte[1] = hex[2 * i + 1];
		cdb[i] = (unsigned char)strtoul(byte, &end, 16);
		if (*end)
			return -1;
	}
	return (int)(n / 2);
}

/* Key, ASC and ASCQ from fixed (0x70/0x71) or descriptor (0x72/0x73) sense. */
static void print_sense(const unsigned char *s, unsigned int len)
{
	unsigned int code = len ? s[0] & 0x7f : 0;

	if ((code == 0x70 || code == 0x71) && len >= 14)
		printf("sense=%02x/%02x/%02x", s[2] & 0xf, s[12], s[13]);
	else if ((code == 0x72 || code == 0x73) && len >= 4)
		printf("sense=%02x/%02x/%02x", s[1] & 0xf, s[2], s[3]);
	else
		printf("sense=none");
}

int main(int argc, char **argv)
{
	unsigned char cdb[MAX_CDB], sense[SENSE_LEN];
	struct sg_io_hdr io;
	unsigned char *buf = NULL;
	int fd, cdb_len;
	char *end;
	long len;

	cdb_len = argc == 4 ? parse_cdb(argv[2], cdb) : -1;
	len = argc == 4 ? strtol(argv[3], &end, 0) : -1;
	if (cdb_len < 0 || len < 0 || len > MAX_LEN || *end) {
		fprintf(stderr, "usage: scsicmd DEVICE CDB-HEX(6..16 bytes) LEN(0..%d)\n", MAX_LEN);
		return 1;
	}
	if (len) {
		buf = calloc(1, len);
		if (!buf) {
			fprintf(stderr, "scsicmd: out of memory\n");
			return 1;
		}
	}
	fd = open(argv[1], O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "scsicmd: %s: %s\n", argv[1], strerror(errno));
		free(buf);
		return 1;
	}
	memset(&io, 0, sizeof(io));
	io.interface_id = 'S';
	io.dxfer_direction = len ? SG_DXFER_FROM_DEV : SG_DXFER_NONE;
	io.cmd_len = cdb_len;
	io.cmdp = cdb;
	io.dxfer_len = len;
	io.dxferp = buf;
	io.mx_sb_len = sizeof(sense);
	io.sbp = sense;
	io.timeout = 60000;
	if (ioctl(fd, SG_IO, &io)) {
		fprintf(stderr, "scsicmd: SG_IO on %s: %s\n", argv[1], strerror(errno));
		close(fd);
		free(buf);
		return 1;
	}
	printf("status=0x%02x host=0x%02x ", io.status, io.host_status);
	print_sense(sense, io.sb_len_wr);
	printf(" resid=%d\n", io.resid);
	close(fd);
	free(buf);
	return 0;
}
