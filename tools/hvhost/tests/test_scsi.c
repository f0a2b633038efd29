// SPDX-License-Identifier: GPL-2.0
/*
 * The SCSI target emulation on its own (scsi_disk.h): commands against
 * LUNs backed by temporary sparse files under /tmp, data in plain
 * buffers split into several iovecs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../crc32.h"
#include "../scsi_disk.h"
#include "unit.h"

#define DISK_SIZE	(1024 * 1024)		/* 2048 blocks */
#define BUF_SIZE	(64 * 1024)

struct st {
	struct scsi_target t;
	char path[2][64];
	uint8_t *buf;
	struct iovec iov[3];
};

static void st_setup(struct st *s, unsigned int nr_luns)
{
	char err[256];
	unsigned int i;
	int fd;

	scsi_target_init(&s->t, 7, 512 * 1024);
	for (i = 0; i < nr_luns; i++) {
		snprintf(s->path[i], sizeof(s->path[i]), "/tmp/hvhost-scsi-XXXXXX");
		fd = mkstemp(s->path[i]);
		CHECK(fd >= 0);
		close(fd);
		CHECK_EQ(scsi_lun_add(&s->t, i, s->path[i], DISK_SIZE, err, sizeof(err)), 0);
	}
	s->buf = calloc(1, BUF_SIZE);
	CHECK(s->buf);
}

static void st_fini(struct st *s)
{
	unsigned int i;

	scsi_target_fini(&s->t);
	for (i = 0; i < 2; i++)
		if (s->path[i][0])
			unlink(s->path[i]);
	free(s->buf);
}

/* A command with @cdb (@n bytes) and @len bytes of s->buf in three pieces. */
static struct scsi_cmd *st_cmd(struct st *s, struct scsi_cmd *c, const uint8_t *cdb,
			       unsigned int n, enum scsi_dir dir, uint32_t len)
{
	uint32_t a = len / 3, b = len / 3;

	memset(c, 0, sizeof(*c));
	memcpy(c->cdb, cdb, n);
	c->cdb_len = (uint8_t)n;
	c->addr_ok = true;
	c->dir = len ? dir : SCSI_DIR_NONE;
	s->iov[0] = (struct iovec){ s->buf, a };
	s->iov[1] = (struct iovec){ s->buf + a, b };
	s->iov[2] = (struct iovec){ s->buf + a + b, len - a - b };
	c->iov = s->iov;
	c->niov = 3;
	c->len = len;
	return c;
}

static void check_sense(const struct scsi_cmd *c, uint8_t key, uint8_t asc)
{
	CHECK_EQ(c->res, SCSI_RES_CHECK);
	CHECK_EQ(c->sense_len, SCSI_SENSE_LEN);
	CHECK_EQ(c->sense[0] & 0x7f, 0x70);
	CHECK_EQ(c->sense[2], key);
	CHECK_EQ(c->sense[12], asc);
	CHECK_EQ(c->sense[13], 0);
}

static void rw10(struct st *s, struct scsi_cmd *c, bool write, uint32_t lba, uint16_t n,
		 bool fua)
{
	uint8_t cdb[10] = { write ? 0x2a : 0x28, fua ? 0x08 : 0 };

	scsi_put_be32(cdb + 2, lba);
	scsi_put_be16(cdb + 7, n);
	scsi_exec(&s->t, st_cmd(s, c, cdb, 10, write ? SCSI_DIR_WRITE : SCSI_DIR_READ,
				n * SCSI_BLOCK_SIZE));
}

static void scsi_read_write(void)
{
	uint8_t cdb16[16] = { 0x8a }, cdb6[6] = { 0x08, 0, 0, 3, 1, 0 };
	struct scsi_cmd c;
	unsigned int i;
	struct st s;

	st_setup(&s, 1);
	for (i = 0; i < 8 * 512; i++)
		s.buf[i] = (uint8_t)(i * 7 + 1);
	rw10(&s, &c, true, 100, 8, false);
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK_EQ(c.xfer, 4096);
	memset(s.buf, 0, BUF_SIZE);
	rw10(&s, &c, false, 100, 8, false);
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	for (i = 0; i < 8 * 512; i++)
		CHECK_EQ(s.buf[i], (uint8_t)(i * 7 + 1));
	/* READ(6) of block 3 of those: LBA 103. */
	cdb6[3] = 103;
	scsi_exec(&s.t, st_cmd(&s, &c, cdb6, 6, SCSI_DIR_READ, 512));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK_EQ(s.buf[0], (uint8_t)(3 * 512 * 7 + 1));
	/* WRITE(16) with FUA at the last block. */
	memset(s.buf, 0xab, 512);
	cdb16[1] = 0x08;
	scsi_put_be64(cdb16 + 2, 2047);
	scsi_put_be32(cdb16 + 10, 1);
	scsi_exec(&s.t, st_cmd(&s, &c, cdb16, 16, SCSI_DIR_WRITE, 512));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK_EQ(scsi_stat_get(&s.t, SCSI_ST_FLUSHES), 1);
	CHECK_EQ(scsi_stat_get(&s.t, SCSI_ST_WRITES), 2);
	CHECK_EQ(scsi_stat_get(&s.t, SCSI_ST_WRITE_BYTES), 4096 + 512);
	CHECK_EQ(scsi_stat_get(&s.t, SCSI_ST_READS), 2);
	/* Past the end, and a buffer too small. */
	rw10(&s, &c, false, 2047, 2, false);
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
	cdb16[1] = 0;
	scsi_put_be64(cdb16 + 2, 0);
	scsi_put_be32(cdb16 + 10, 4);
	scsi_exec(&s.t, st_cmd(&s, &c, cdb16, 16, SCSI_DIR_WRITE, 512));
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_CDB);
	CHECK_EQ(scsi_stat_get(&s.t, SCSI_ST_ERRORS), 2);
	st_fini(&s);
}

static void scsi_errors(void)
{
	uint8_t bad[6] = { 0xc7 }, inq[6] = { 0x12, 0, 0x80, 0, 36 }, sync[10] = { 0x35 };
	struct scsi_cmd c;
	struct st s;

	st_setup(&s, 1);
	scsi_exec(&s.t, st_cmd(&s, &c, bad, 6, SCSI_DIR_NONE, 0));
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE);
	scsi_exec(&s.t, st_cmd(&s, &c, inq, 6, SCSI_DIR_READ, 36));	/* page without EVPD */
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_CDB);
	scsi_exec(&s.t, st_cmd(&s, &c, sync, 6, SCSI_DIR_NONE, 0));	/* CDB too short */
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_CDB);
	scsi_exec(&s.t, st_cmd(&s, &c, sync, 10, SCSI_DIR_NONE, 0));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK_EQ(scsi_stat_get(&s.t, SCSI_ST_FLUSHES), 1);
	/* Medium fault on blocks 10..19: a read of 5..14 fails at 10, 20.. works. */
	scsi_fault_medium(&s.t, 0, 10, 10);
	rw10(&s, &c, false, 5, 10, false);
	check_sense(&c, SCSI_KEY_MEDIUM_ERROR, SCSI_ASC_UNRECOVERED_READ);
	CHECK_EQ(c.sense[0], 0xf0);				/* VALID */
	CHECK_EQ(scsi_be32(c.sense + 3), 10);
	rw10(&s, &c, true, 15, 1, false);
	check_sense(&c, SCSI_KEY_MEDIUM_ERROR, SCSI_ASC_WRITE_ERROR);
	CHECK_EQ(scsi_be32(c.sense + 3), 15);
	rw10(&s, &c, false, 20, 4, false);
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	scsi_fault_clear(&s.t);
	rw10(&s, &c, false, 5, 10, false);
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	st_fini(&s);
}

static void scsi_inquiry_vpd(void)
{
	uint8_t cdb[6] = { 0x12, 0, 0, 0, 96 };
	struct scsi_cmd c;
	struct st s;

	st_setup(&s, 1);
	scsi_exec(&s.t, st_cmd(&s, &c, cdb, 6, SCSI_DIR_READ, 96));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK_EQ(c.xfer, 36);			/* shorter than the allocation length */
	CHECK_EQ(s.buf[0], 0);
	CHECK(!memcmp(s.buf + 8, "Msft    Virtual Disk", 20));
	cdb[1] = 1;				/* VPD 0x00 */
	scsi_exec(&s.t, st_cmd(&s, &c, cdb, 6, SCSI_DIR_READ, 96));
	CHECK_EQ(c.xfer, 10);
	CHECK(!memcmp(s.buf + 4, "\x00\x80\x83\xb0\xb1\xb2", 6));
	cdb[2] = 0x80;
	scsi_exec(&s.t, st_cmd(&s, &c, cdb, 6, SCSI_DIR_READ, 96));
	CHECK_EQ(s.buf[1], 0x80);
	CHECK(!memcmp(s.buf + 4, "HVS0007000", 10));
	cdb[2] = 0x83;
	scsi_exec(&s.t, st_cmd(&s, &c, cdb, 6, SCSI_DIR_READ, 96));
	CHECK_EQ(s.buf[5] & 0x0f, 3);		/* NAA */
	CHECK_EQ(s.buf[8] >> 4, 6);
	CHECK_EQ(s.buf[25] & 0x0f, 1);		/* T10 vendor id */
	CHECK(!memcmp(s.buf + 28, "Msft    HVS", 11));
	cdb[2] = 0xb0;
	scsi_exec(&s.t, st_cmd(&s, &c, cdb, 6, SCSI_DIR_READ, 96));
	CHECK_EQ(c.xfer, 64);
	CHECK_EQ(scsi_be32(s.buf + 8), 1024);	/* 512 KiB */
	CHECK_EQ(scsi_be32(s.buf + 20), SCSI_MAX_UNMAP_BLOCKS);
	CHECK_EQ(scsi_be64(s.buf + 36), SCSI_MAX_WRITE_SAME);
	cdb[2] = 0xb1;
	scsi_exec(&s.t, st_cmd(&s, &c, cdb, 6, SCSI_DIR_READ, 96));
	CHECK_EQ(scsi_be16(s.buf + 4), 1);
	cdb[2] = 0xb2;
	scsi_exec(&s.t, st_cmd(&s, &c, cdb, 6, SCSI_DIR_READ, 96));
	CHECK_EQ(s.buf[5], 0xc0);
	CHECK_EQ(s.buf[6] & 7, 2);
	cdb[2] = 0x99;
	scsi_exec(&s.t, st_cmd(&s, &c, cdb, 6, SCSI_DIR_READ, 96));
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_CDB);
	/* An absent LUN: peripheral qualifier 3, type 0x1f; other commands: NO_LUN. */
	cdb[1] = 0;
	cdb[2] = 0;
	st_cmd(&s, &c, cdb, 6, SCSI_DIR_READ, 96);
	c.lun = 5;
	scsi_exec(&s.t, &c);
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK_EQ(s.buf[0], 0x7f);
	memset(cdb, 0, sizeof(cdb));
	st_cmd(&s, &c, cdb, 6, SCSI_DIR_NONE, 0);
	c.lun = 5;
	scsi_exec(&s.t, &c);
	CHECK_EQ(c.res, SCSI_RES_NO_LUN);
	st_cmd(&s, &c, cdb, 6, SCSI_DIR_NONE, 0);
	c.addr_ok = false;			/* LUN 0 of another target */
	scsi_exec(&s.t, &c);
	CHECK_EQ(c.res, SCSI_RES_NO_LUN);
	st_fini(&s);
}

static void scsi_capacity_mode_luns(void)
{
	uint8_t rc10[10] = { 0x25 }, rc16[16] = { 0x9e, 0x10 }, ms6[6] = { 0x1a, 0, 0x08, 0, 64 };
	uint8_t ms10[10] = { 0x5a, 0x08, 0x3f, 0, 0, 0, 0, 0, 64 }, rl[12] = { 0xa0 };
	struct scsi_cmd c;
	struct st s;

	st_setup(&s, 2);
	scsi_exec(&s.t, st_cmd(&s, &c, rc10, 10, SCSI_DIR_READ, 8));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK_EQ(scsi_be32(s.buf), 2047);
	CHECK_EQ(scsi_be32(s.buf + 4), 512);
	scsi_put_be32(rc16 + 10, 32);
	scsi_exec(&s.t, st_cmd(&s, &c, rc16, 16, SCSI_DIR_READ, 32));
	CHECK_EQ(scsi_be64(s.buf), 2047);
	CHECK_EQ(s.buf[14] & 0x80, 0x80);		/* LBPME */
	scsi_exec(&s.t, st_cmd(&s, &c, ms6, 6, SCSI_DIR_READ, 64));
	CHECK_EQ(c.xfer, 4 + 8 + 20);
	CHECK_EQ(s.buf[0], 4 + 8 + 20 - 1);
	CHECK_EQ(s.buf[3], 8);
	CHECK_EQ(scsi_be32(s.buf + 4), 2048);
	CHECK_EQ(s.buf[12], 0x08);
	CHECK_EQ(s.buf[14] & 0x04, 0x04);		/* WCE */
	scsi_exec(&s.t, st_cmd(&s, &c, ms10, 10, SCSI_DIR_READ, 64));	/* DBD, all pages */
	CHECK_EQ(c.xfer, 8 + 20);
	CHECK_EQ(scsi_be16(s.buf + 6), 0);
	CHECK_EQ(s.buf[8], 0x08);
	ms6[2] = 0x1c;
	scsi_exec(&s.t, st_cmd(&s, &c, ms6, 6, SCSI_DIR_READ, 64));
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_CDB);
	scsi_put_be32(rl + 6, 256);
	scsi_exec(&s.t, st_cmd(&s, &c, rl, 12, SCSI_DIR_READ, 256));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK_EQ(c.xfer, 24);
	CHECK_EQ(scsi_be32(s.buf), 16);
	CHECK_EQ(scsi_be16(s.buf + 8), 0);
	CHECK_EQ(scsi_be16(s.buf + 16), 1);
	/* Remove LUN 1 while a reference is held: still usable by that holder. */
	{
		struct scsi_lun *l = scsi_lun_get(&s.t, 1);

		CHECK(l);
		CHECK_EQ(scsi_lun_remove(&s.t, 1), 0);
		CHECK_EQ(scsi_lun_remove(&s.t, 1), -ENOENT);
		CHECK(!scsi_lun_get(&s.t, 1));
		CHECK_EQ(l->blocks, 2048);
		scsi_lun_put(l);
	}
	scsi_exec(&s.t, st_cmd(&s, &c, rl, 12, SCSI_DIR_READ, 256));
	CHECK_EQ(scsi_be32(s.buf), 8);
	st_fini(&s);
}

/* Allocated 512-byte units of @path. */
static long long blocks_of(const char *path)
{
	struct stat st;

	CHECK_EQ(stat(path, &st), 0);
	return (long long)st.st_blocks;
}

/* An UNMAP parameter list of one descriptor in @b (24 bytes). */
static void unmap_list(uint8_t *b, uint64_t lba, uint32_t n)
{
	memset(b, 0, 24);
	scsi_put_be16(b, 22);
	scsi_put_be16(b + 2, 16);
	scsi_put_be64(b + 8, lba);
	scsi_put_be32(b + 16, n);
}

static void scsi_unmap_write_same(void)
{
	uint8_t um[10] = { 0x42 }, ws[16] = { 0x93 }, ws10[10] = { 0x41, 0, 0, 0, 0x01, 0x90, 0, 0, 8 };
	struct scsi_cmd c;
	long long before;
	unsigned int i;
	struct st s;
	int fd;

	st_setup(&s, 1);
	memset(s.buf, 0x5a, BUF_SIZE);
	rw10(&s, &c, true, 128, 128, false);		/* 64 KiB at 64 KiB */
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	before = blocks_of(s.path[0]);
	CHECK(before >= 128);
	/* UNMAP blocks 128..255 (one descriptor). */
	unmap_list(s.buf, 128, 128);
	scsi_put_be16(um + 7, 24);
	scsi_exec(&s.t, st_cmd(&s, &c, um, 10, SCSI_DIR_WRITE, 24));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK(blocks_of(s.path[0]) <= before - 128);
	fd = open(s.path[0], O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(lseek(fd, 0, SEEK_HOLE), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_DATA), -1);	/* nothing left allocated */
	close(fd);
	rw10(&s, &c, false, 128, 2, false);
	CHECK_EQ(s.buf[0], 0);
	CHECK_EQ(s.buf[1023], 0);
	/* A descriptor past the end: nothing punched. */
	unmap_list(s.buf, 2040, 16);
	scsi_exec(&s.t, st_cmd(&s, &c, um, 10, SCSI_DIR_WRITE, 24));
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
	scsi_put_be16(s.buf + 2, 32);				/* longer than the list */
	scsi_exec(&s.t, st_cmd(&s, &c, um, 10, SCSI_DIR_WRITE, 24));
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_PARAM);
	/* WRITE SAME(16): a pattern over 16 blocks, then UNMAP of them. */
	for (i = 0; i < 512; i++)
		s.buf[i] = (uint8_t)i;
	scsi_put_be64(ws + 2, 300);
	scsi_put_be32(ws + 10, 16);
	scsi_exec(&s.t, st_cmd(&s, &c, ws, 16, SCSI_DIR_WRITE, 512));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	memset(s.buf, 0, BUF_SIZE);
	rw10(&s, &c, false, 300, 16, false);
	for (i = 0; i < 16 * 512; i++)
		CHECK_EQ(s.buf[i], (uint8_t)(i % 512));
	ws[1] = 0x08;						/* UNMAP */
	memset(s.buf, 0, 512);
	scsi_exec(&s.t, st_cmd(&s, &c, ws, 16, SCSI_DIR_WRITE, 512));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	rw10(&s, &c, false, 300, 16, false);
	CHECK_EQ(s.buf[5], 0);
	scsi_put_be32(ws + 10, 0);				/* WSNZ */
	scsi_exec(&s.t, st_cmd(&s, &c, ws, 16, SCSI_DIR_WRITE, 512));
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_CDB);
	CHECK_EQ(scsi_stat_get(&s.t, SCSI_ST_UNMAPS), 3);
	CHECK_EQ(scsi_stat_get(&s.t, SCSI_ST_WRITE_SAMES), 3);
	/* WRITE SAME(10): 32-bit LBA, 16-bit count; a zero block over 8 blocks. */
	memset(s.buf, 0x77, BUF_SIZE);
	rw10(&s, &c, true, 400, 16, false);
	memset(s.buf, 0, 512);
	scsi_exec(&s.t, st_cmd(&s, &c, ws10, 10, SCSI_DIR_WRITE, 512));
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	rw10(&s, &c, false, 400, 16, false);
	CHECK_EQ(s.buf[0], 0);
	CHECK_EQ(s.buf[8 * 512 - 1], 0);
	CHECK_EQ(s.buf[8 * 512], 0x77);				/* block 408 untouched */
	scsi_put_be32(ws10 + 2, 2045);				/* 2045 + 8 > 2048 blocks */
	scsi_exec(&s.t, st_cmd(&s, &c, ws10, 10, SCSI_DIR_WRITE, 512));
	check_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE);
	CHECK_EQ(scsi_stat_get(&s.t, SCSI_ST_WRITE_SAMES), 5);
	st_fini(&s);
}

static void scsi_specs(void)
{
	char err[256], *path = NULL;
	struct scsi_target t;
	uint64_t size;

	CHECK_EQ(scsi_parse_disk("/tmp/a:b.img:64M", &path, &size, err, sizeof(err)), 0);
	CHECK(!strcmp(path, "/tmp/a:b.img"));
	CHECK_EQ(size, 64ULL << 20);
	free(path);
	CHECK_EQ(scsi_parse_disk("d:4096", &path, &size, err, sizeof(err)), 0);
	CHECK_EQ(size, 4096);
	free(path);
	CHECK_EQ(scsi_parse_disk("d:2G", &path, &size, err, sizeof(err)), 0);
	CHECK_EQ(size, 2ULL << 30);
	free(path);
	CHECK_EQ(scsi_parse_disk("d:100", &path, &size, err, sizeof(err)), -1);
	CHECK_EQ(scsi_parse_disk("d", &path, &size, err, sizeof(err)), -1);
	CHECK_EQ(scsi_parse_disk(":1M", &path, &size, err, sizeof(err)), -1);
	CHECK_EQ(scsi_parse_disk("d:0", &path, &size, err, sizeof(err)), -1);
	CHECK_EQ(scsi_parse_disk("d:1X", &path, &size, err, sizeof(err)), -1);
	CHECK_EQ(scsi_parse_disk("d:99999999G", &path, &size, err, sizeof(err)), -1);
	scsi_target_init(&t, 1, 4096);
	CHECK_EQ(scsi_lun_add(&t, 0, "/nonexistent-dir/x", 4096, err, sizeof(err)), -ENOENT);
	CHECK_EQ(scsi_lun_add(&t, 255, "/tmp/x", 4096, err, sizeof(err)), -ERANGE);
	CHECK_EQ(scsi_lun_add(&t, 0, "/tmp", 4096, err, sizeof(err)), -EISDIR);
	scsi_target_fini(&t);
}

/* scsi_lun_crc32() and scsi_lun_allocated(): what a host-side check reads. */
static void scsi_inspect(void)
{
	uint64_t bytes = 1;
	struct scsi_lun *l;
	struct scsi_cmd c;
	uint32_t crc = 1;
	unsigned int i;
	struct st s;

	st_setup(&s, 1);
	l = scsi_lun_get(&s.t, 0);
	CHECK(l);
	CHECK_EQ(scsi_lun_allocated(l, 0, 2048, &bytes), 0);
	CHECK_EQ(bytes, 0);				/* a new file is one hole */
	CHECK_EQ(scsi_lun_crc32(l, 0, 0, &crc), 0);
	CHECK_EQ(crc, 0);
	CHECK_EQ(scsi_lun_crc32(l, 0, 1, &crc), 0);
	CHECK_EQ(crc, 0xb2aa7578U);			/* CRC-32 of 512 zero bytes */
	for (i = 0; i < BUF_SIZE; i++)
		s.buf[i] = (uint8_t)(i * 7 + 3);
	rw10(&s, &c, true, 1024, 128, false);		/* 64 KiB at block 1024 */
	CHECK_EQ(c.res, SCSI_RES_GOOD);
	CHECK_EQ(scsi_lun_allocated(l, 0, 2048, &bytes), 0);
	CHECK(bytes >= 64 * 1024 && bytes < 2048 * 512);
	CHECK_EQ(scsi_lun_allocated(l, 1024, 128, &bytes), 0);
	CHECK_EQ(bytes, 64 * 1024);
	CHECK_EQ(scsi_lun_allocated(l, 0, 1000, &bytes), 0);
	CHECK_EQ(bytes, 0);
	CHECK_EQ(scsi_lun_crc32(l, 1024, 128, &crc), 0);
	CHECK_EQ(crc, crc32_update(0, s.buf, 64 * 1024));
	CHECK_EQ(scsi_lun_crc32(l, 2040, 9, &crc), -ERANGE);
	CHECK_EQ(scsi_lun_allocated(l, 2049, 0, &bytes), -ERANGE);
	CHECK_EQ(scsi_lun_crc32(l, 2048, 0, &crc), 0);
	scsi_lun_put(l);
	st_fini(&s);
}

const struct unit_test scsi_tests[] = {
	{ "scsi_inspect", scsi_inspect },
	{ "scsi_read_write", scsi_read_write },
	{ "scsi_errors", scsi_errors },
	{ "scsi_inquiry_vpd", scsi_inquiry_vpd },
	{ "scsi_capacity_mode_luns", scsi_capacity_mode_luns },
	{ "scsi_unmap_write_same", scsi_unmap_write_same },
	{ "scsi_specs", scsi_specs },
	{ NULL, NULL },
};
