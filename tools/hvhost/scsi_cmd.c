// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI commands of the target emulation: dispatch, sense data, the data
 * buffer helpers, READ / WRITE 6/10/16, SYNCHRONIZE CACHE, UNMAP and
 * WRITE SAME(16).  The informational commands are in scsi_info.c.
 *
 * File I/O goes straight between the backing file and the command's
 * iovecs (preadv / pwritev; guest memory for storvsp), never through a
 * bounce buffer, and is always complete or reported: a short read past the
 * file's end is zero-filled, an I/O error becomes MEDIUM ERROR.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scsi_disk.h"

#define IOV_WINDOW	64		/* iovecs handed to one preadv/pwritev */
#define SAME_CHUNK	(64 * 1024)	/* WRITE SAME pattern buffer */

/* SCSI operation codes (SPC-4, SBC-3). */
enum {
	OP_TEST_UNIT_READY = 0x00, OP_READ_6 = 0x08, OP_WRITE_6 = 0x0a, OP_INQUIRY = 0x12,
	OP_MODE_SENSE_6 = 0x1a, OP_READ_CAPACITY_10 = 0x25, OP_READ_10 = 0x28,
	OP_WRITE_10 = 0x2a, OP_SYNC_CACHE_10 = 0x35, OP_WRITE_SAME_10 = 0x41, OP_UNMAP = 0x42, OP_MODE_SENSE_10 = 0x5a,
	OP_READ_16 = 0x88, OP_WRITE_16 = 0x8a, OP_SYNC_CACHE_16 = 0x91, OP_WRITE_SAME_16 = 0x93,
	OP_SERVICE_ACTION_IN_16 = 0x9e, OP_REPORT_LUNS = 0xa0,
};

#define SAI_READ_CAPACITY_16	0x10

void scsi_sense(struct scsi_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq)
{
	memset(c->sense, 0, sizeof(c->sense));
	c->sense[0] = 0x70;		/* current error, fixed format */
	c->sense[2] = key;
	c->sense[7] = SCSI_SENSE_LEN - 8;	/* additional sense length */
	c->sense[12] = asc;
	c->sense[13] = ascq;
	c->sense_len = SCSI_SENSE_LEN;
	c->res = SCSI_RES_CHECK;
}

void scsi_sense_info(struct scsi_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq, uint64_t info)
{
	scsi_sense(c, key, asc, ascq);
	if (info <= UINT32_MAX) {
		c->sense[0] |= 0x80;	/* VALID: the information field holds the LBA */
		scsi_put_be32(c->sense + 3, (uint32_t)info);
	}
}

static void invalid_field(struct scsi_cmd *c)
{
	scsi_sense(c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_CDB, 0);
}

/* Copy @n bytes between @buf and the buffer at @off; @to_iov says which way. */
static uint32_t iov_copy(const struct scsi_cmd *c, uint32_t off, void *buf, uint32_t n,
			 bool to_iov)
{
	uint32_t done = 0, k, chunk;
	unsigned int i;

	for (i = 0; i < c->niov && done < n; i++) {
		if (off >= c->iov[i].iov_len) {
			off -= (uint32_t)c->iov[i].iov_len;
			continue;
		}
		k = (uint32_t)c->iov[i].iov_len - off;
		chunk = k < n - done ? k : n - done;
		if (to_iov)
			memcpy((uint8_t *)c->iov[i].iov_base + off, (uint8_t *)buf + done, chunk);
		else
			memcpy((uint8_t *)buf + done, (uint8_t *)c->iov[i].iov_base + off, chunk);
		done += chunk;
		off = 0;
	}
	return done;
}

uint32_t scsi_buf_read(const struct scsi_cmd *c, uint32_t off, void *dst, uint32_t n)
{
	return iov_copy(c, off, dst, n, false);
}

int scsi_data_in(struct scsi_cmd *c, const void *data, uint32_t n, uint32_t alloc)
{
	if (n > alloc)
		n = alloc;
	if (n > c->len)
		n = c->len;
	if (n && c->dir != SCSI_DIR_READ) {
		invalid_field(c);
		return -1;
	}
	c->xfer = iov_copy(c, 0, (void *)data, n, true);
	return 0;
}

/*
 * preadv/pwritev @len bytes at file offset @pos from / to the buffer,
 * IOV_WINDOW iovecs at a time, until done.  Reads past the end of the
 * file read zeros.  Returns 0 or -errno.
 */
static int file_rw(const struct scsi_cmd *c, int fd, uint64_t pos, uint32_t len, bool write)
{
	struct iovec win[IOV_WINDOW];
	uint32_t done = 0, skip = 0, left;
	unsigned int i = 0, n;
	ssize_t r;

	while (done < len) {
		/* The window: iovecs from the one holding byte done, at most len - done bytes. */
		for (n = 0, left = len - done; n < IOV_WINDOW && i + n < c->niov && left; n++) {
			size_t l = c->iov[i + n].iov_len - (n ? 0 : skip);

			win[n].iov_base = (uint8_t *)c->iov[i + n].iov_base + (n ? 0 : skip);
			win[n].iov_len = l < left ? l : left;
			left -= (uint32_t)win[n].iov_len;
		}
		if (!n)
			return -EINVAL;		/* the buffer is shorter than len: cannot happen */
		r = write ? pwritev(fd, win, (int)n, (off_t)(pos + done)) :
			    preadv(fd, win, (int)n, (off_t)(pos + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r && write)
			return -EIO;
		if (!r) {		/* end of file: the rest reads as zeros */
			for (i = 0; i < n; i++)
				memset(win[i].iov_base, 0, win[i].iov_len);
			r = (ssize_t)(len - done - left);
		}
		done += (uint32_t)r;
		/* Advance (i, skip) by r bytes. */
		for (skip += (uint32_t)r; i < c->niov && skip >= c->iov[i].iov_len; i++)
			skip -= (uint32_t)c->iov[i].iov_len;
	}
	return 0;
}

static void flush(struct scsi_target *t, struct scsi_lun *l, struct scsi_cmd *c)
{
	scsi_count(t, SCSI_ST_FLUSHES, 1);
	if (fdatasync(l->fd))
		scsi_sense(c, SCSI_KEY_MEDIUM_ERROR, SCSI_ASC_WRITE_ERROR, 0);
}

/* The LBA / block count / FUA of a READ or WRITE CDB. */
static void rw_decode(const struct scsi_cmd *c, uint64_t *lba, uint32_t *count, bool *fua)
{
	const uint8_t *b = c->cdb;

	switch (b[0]) {
	case OP_READ_6:
	case OP_WRITE_6:
		*lba = (uint64_t)(b[1] & 0x1f) << 16 | scsi_be16(b + 2);
		*count = b[4] ? b[4] : 256;
		*fua = false;
		break;
	case OP_READ_10:
	case OP_WRITE_10:
		*lba = scsi_be32(b + 2);
		*count = scsi_be16(b + 7);
		*fua = b[1] & 0x08;
		break;
	default:
		*lba = scsi_be64(b + 2);
		*count = scsi_be32(b + 10);
		*fua = b[1] & 0x08;
	}
}

static bool range_ok(const struct scsi_lun *l, uint64_t lba, uint64_t count)
{
	return lba <= l->blocks && count <= l->blocks - lba;
}

static void lba_out_of_range(struct scsi_cmd *c)
{
	scsi_sense(c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE, 0);
}

static void read_write(struct scsi_target *t, struct scsi_lun *l, struct scsi_cmd *c, bool write)
{
	uint64_t lba, bytes;
	uint32_t count;
	int64_t bad;
	bool fua;
	int rc;

	rw_decode(c, &lba, &count, &fua);
	bytes = (uint64_t)count * SCSI_BLOCK_SIZE;
	if (!range_ok(l, lba, count)) {
		lba_out_of_range(c);
		return;
	}
	if (!count)
		return;
	if (c->dir != (write ? SCSI_DIR_WRITE : SCSI_DIR_READ) || c->len < bytes) {
		invalid_field(c);
		return;
	}
	bad = scsi_fault_hit(t, l->number, lba, count);
	if (bad >= 0) {
		scsi_sense_info(c, SCSI_KEY_MEDIUM_ERROR, write ? SCSI_ASC_WRITE_ERROR :
				SCSI_ASC_UNRECOVERED_READ, 0, (uint64_t)bad);
		return;
	}
	rc = file_rw(c, l->fd, lba * SCSI_BLOCK_SIZE, (uint32_t)bytes, write);
	if (rc) {
		scsi_sense_info(c, SCSI_KEY_MEDIUM_ERROR, write ? SCSI_ASC_WRITE_ERROR :
				SCSI_ASC_UNRECOVERED_READ, 0, lba);
		return;
	}
	c->xfer = (uint32_t)bytes;
	scsi_count(t, write ? SCSI_ST_WRITES : SCSI_ST_READS, 1);
	scsi_count(t, write ? SCSI_ST_WRITE_BYTES : SCSI_ST_READ_BYTES, bytes);
	if (fua && write)
		flush(t, l, c);
}

/* Deallocate [@lba, +@count): punch a hole (zeros written where that is not supported). */
static int punch(struct scsi_lun *l, uint64_t lba, uint64_t count)
{
	static const uint8_t zero[SAME_CHUNK];
	uint64_t off = lba * SCSI_BLOCK_SIZE, len = count * SCSI_BLOCK_SIZE, n;
	ssize_t r;

	if (!len || !fallocate(l->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
			       (off_t)len))
		return 0;
	if (errno != EOPNOTSUPP)
		return -errno;
	for (; len; off += (uint64_t)r, len -= (uint64_t)r) {
		n = len < sizeof(zero) ? len : sizeof(zero);
		r = pwrite(l->fd, zero, n, (off_t)off);
		if (r <= 0)
			return -EIO;
	}
	return 0;
}

static void param_error(struct scsi_cmd *c)
{
	scsi_sense(c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_PARAM, 0);
}

/* UNMAP: check every block descriptor, then punch each. */
static void unmap(struct scsi_target *t, struct scsi_lun *l, struct scsi_cmd *c)
{
	uint8_t list[8 + 16 * SCSI_MAX_UNMAP_DESCS];
	uint32_t plen = scsi_be16(c->cdb + 7), dlen, i, n;

	scsi_count(t, SCSI_ST_UNMAPS, 1);
	if (c->cdb[1] & 0x01) {		/* ANCHOR */
		invalid_field(c);
		return;
	}
	if (!plen)
		return;
	if (plen < 8 || plen > sizeof(list) || c->dir != SCSI_DIR_WRITE || c->len < plen) {
		invalid_field(c);
		return;
	}
	if (scsi_buf_read(c, 0, list, plen) != plen) {
		invalid_field(c);
		return;
	}
	dlen = scsi_be16(list + 2);
	if (dlen > plen - 8 || dlen % 16) {
		param_error(c);
		return;
	}
	n = dlen / 16;
	for (i = 0; i < n; i++) {
		const uint8_t *d = list + 8 + 16 * i;

		if (!range_ok(l, scsi_be64(d), scsi_be32(d + 8))) {
			lba_out_of_range(c);
			return;
		}
		if (scsi_be32(d + 8) > SCSI_MAX_UNMAP_BLOCKS) {
			param_error(c);
			return;
		}
	}
	for (i = 0; i < n; i++) {
		if (punch(l, scsi_be64(list + 8 + 16 * i), scsi_be32(list + 16 + 16 * i))) {
			scsi_sense(c, SCSI_KEY_MEDIUM_ERROR, SCSI_ASC_WRITE_ERROR, 0);
			return;
		}
	}
	c->xfer = plen;
}

/* Replicate one block over [@lba, +@count). */
static int write_pattern(struct scsi_lun *l, const uint8_t *blk, uint64_t lba, uint64_t count)
{
	uint8_t *buf = malloc(SAME_CHUNK);
	uint64_t off = lba * SCSI_BLOCK_SIZE, len = count * SCSI_BLOCK_SIZE, n;
	unsigned int i;
	ssize_t r;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < SAME_CHUNK / SCSI_BLOCK_SIZE; i++)
		memcpy(buf + i * SCSI_BLOCK_SIZE, blk, SCSI_BLOCK_SIZE);
	for (; len && !rc; off += (uint64_t)r, len -= (uint64_t)r) {
		n = len < SAME_CHUNK ? len : SAME_CHUNK;
		r = pwrite(l->fd, buf, n, (off_t)off);
		if (r <= 0) {
			rc = -EIO;
			r = 0;
		}
	}
	free(buf);
	return rc;
}

/*
 * WRITE SAME (10) and (16): one block from the buffer (or zeros with
 * NDOB, 16 only) written over the range, or the range unmapped with the
 * UNMAP bit.  Linux's sd uses (10) for BLKZEROOUT when it cannot ask the
 * device which it supports (no REPORT SUPPORTED OPERATION CODES).
 */
static void write_same(struct scsi_target *t, struct scsi_lun *l, struct scsi_cmd *c)
{
	bool sixteen = c->cdb[0] == OP_WRITE_SAME_16;
	uint64_t lba = sixteen ? scsi_be64(c->cdb + 2) : scsi_be32(c->cdb + 2);
	uint32_t count = sixteen ? scsi_be32(c->cdb + 10) : scsi_be16(c->cdb + 7);
	bool unmap_bit = c->cdb[1] & 0x08, ndob = sixteen && (c->cdb[1] & 0x01);
	uint8_t blk[SCSI_BLOCK_SIZE] = { 0 };
	int rc;

	scsi_count(t, SCSI_ST_WRITE_SAMES, 1);
	if ((c->cdb[1] & 0x10) || !count || count > SCSI_MAX_WRITE_SAME) {	/* ANCHOR, WSNZ */
		invalid_field(c);
		return;
	}
	if (!range_ok(l, lba, count)) {
		lba_out_of_range(c);
		return;
	}
	if (!ndob) {
		if (c->dir != SCSI_DIR_WRITE || c->len < SCSI_BLOCK_SIZE) {
			invalid_field(c);
			return;
		}
		scsi_buf_read(c, 0, blk, SCSI_BLOCK_SIZE);
		c->xfer = SCSI_BLOCK_SIZE;
	}
	if (scsi_fault_hit(t, l->number, lba, count) >= 0) {
		scsi_sense_info(c, SCSI_KEY_MEDIUM_ERROR, SCSI_ASC_WRITE_ERROR, 0,
				(uint64_t)scsi_fault_hit(t, l->number, lba, count));
		return;
	}
	rc = unmap_bit ? punch(l, lba, count) : write_pattern(l, blk, lba, count);
	if (rc)
		scsi_sense_info(c, SCSI_KEY_MEDIUM_ERROR, SCSI_ASC_WRITE_ERROR, 0, lba);
}

/* Commands that need a present LUN. */
static void exec_lun(struct scsi_target *t, struct scsi_lun *l, struct scsi_cmd *c)
{
	switch (c->cdb[0]) {
	case OP_TEST_UNIT_READY:
		break;
	case OP_READ_6:
	case OP_READ_10:
	case OP_READ_16:
		read_write(t, l, c, false);
		break;
	case OP_WRITE_6:
	case OP_WRITE_10:
	case OP_WRITE_16:
		read_write(t, l, c, true);
		break;
	case OP_SYNC_CACHE_10:
	case OP_SYNC_CACHE_16:
		flush(t, l, c);
		break;
	case OP_READ_CAPACITY_10:
		scsi_read_capacity(l, c, false);
		break;
	case OP_SERVICE_ACTION_IN_16:
		if ((c->cdb[1] & 0x1f) == SAI_READ_CAPACITY_16)
			scsi_read_capacity(l, c, true);
		else
			invalid_field(c);
		break;
	case OP_MODE_SENSE_6:
	case OP_MODE_SENSE_10:
		scsi_mode_sense(l, c, c->cdb[0] == OP_MODE_SENSE_10);
		break;
	case OP_UNMAP:
		unmap(t, l, c);
		break;
	case OP_WRITE_SAME_10:
	case OP_WRITE_SAME_16:
		write_same(t, l, c);
		break;
	default:
		scsi_sense(c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE, 0);
	}
}

/* The CDB length each group of operation codes has (SPC-4 4.2.5.1). */
static uint8_t cdb_len_of(uint8_t op)
{
	switch (op >> 5) {
	case 0:
		return 6;
	case 1:
	case 2:
		return 10;
	case 4:
		return 16;
	case 5:
		return 12;
	default:
		return 0;	/* reserved or vendor specific: judged by the opcode */
	}
}

void scsi_exec(struct scsi_target *t, struct scsi_cmd *c)
{
	struct scsi_lun *l;

	c->res = SCSI_RES_GOOD;
	c->xfer = 0;
	c->sense_len = 0;
	if (c->cdb_len < cdb_len_of(c->cdb[0])) {
		invalid_field(c);
		goto out;
	}
	if (c->cdb[0] == OP_INQUIRY) {
		scsi_inquiry(t, c);
		goto out;
	}
	if (c->cdb[0] == OP_REPORT_LUNS) {
		scsi_report_luns(t, c);
		goto out;
	}
	l = c->addr_ok ? scsi_lun_get(t, c->lun) : NULL;
	if (!l) {
		c->res = SCSI_RES_NO_LUN;
		return;
	}
	exec_lun(t, l, c);
	scsi_lun_put(l);
out:
	if (c->res == SCSI_RES_CHECK)
		scsi_count(t, SCSI_ST_ERRORS, 1);
}
