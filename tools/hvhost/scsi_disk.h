/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SCSI target emulation: the LUNs of one storage controller, each backed
 * by a raw file of 512-byte logical blocks, and the SCSI commands a Linux
 * sd driver sends (SPC-4 / SBC-3 subset).  Nothing here knows about VMBus:
 * a command comes with its CDB and its data buffer as host iovecs (guest
 * memory for storvsp, plain buffers in the unit tests) and leaves a SCSI
 * result, sense data and the bytes transferred.
 *
 * Files: scsi_disk.c (the LUN table, backing files, faults, counters,
 * PATH:SIZE specs), scsi_cmd.c (dispatch, sense, READ/WRITE, SYNCHRONIZE
 * CACHE, UNMAP, WRITE SAME), scsi_info.c (INQUIRY and its VPD pages, READ
 * CAPACITY, MODE SENSE, REPORT LUNS).
 *
 * Addressing: the LUNs live at path 0, target 0, numbers 0..SCSI_MAX_LUN.
 * A command for any other address, or an absent LUN, is answered as an
 * absent LUN: INQUIRY gets peripheral qualifier 3 / type 0x1f, REPORT
 * LUNS lists the LUNs of the addressed target (none elsewhere), anything
 * else gets SCSI_RES_NO_LUN.
 *
 * Threads and locks: scsi_exec() runs on any number of threads at once.
 * struct scsi_target.lock guards the LUN table and the medium fault; it
 * is held only to look a LUN up (taking a reference) or to change the
 * table, never across file I/O.  A LUN removed with commands in flight
 * stays alive (its file open) until the last of them drops its reference.
 * The counters are relaxed atomics.
 */
#ifndef HVHOST_SCSI_DISK_H
#define HVHOST_SCSI_DISK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "log.h"

#define SCSI_BLOCK_SIZE		512
#define SCSI_MAX_LUN		254		/* LUN numbers 0..254 (VSTOR_MAX_LUNS) */
#define SCSI_NR_LUNS		(SCSI_MAX_LUN + 1)
#define SCSI_CDB_MAX		16
#define SCSI_SENSE_LEN		18		/* fixed format, no additional bytes */
#define SCSI_MAX_UNMAP_BLOCKS	(1U << 22)	/* per descriptor: 2 GiB (VPD 0xb0) */
#define SCSI_MAX_UNMAP_DESCS	256		/* descriptors per UNMAP (VPD 0xb0) */
#define SCSI_MAX_WRITE_SAME	(1U << 22)	/* blocks per WRITE SAME (VPD 0xb0) */
#define SCSI_MAX_DISK_SIZE	(1ULL << 44)	/* 16 TiB per LUN */

/* Sense keys and additional sense codes used (SPC-4 4.5.6, annex D). */
#define SCSI_KEY_NO_SENSE	0x0
#define SCSI_KEY_MEDIUM_ERROR	0x3
#define SCSI_KEY_ILLEGAL_REQUEST 0x5
#define SCSI_ASC_WRITE_ERROR	0x0c
#define SCSI_ASC_UNRECOVERED_READ 0x11
#define SCSI_ASC_INVALID_OPCODE	0x20
#define SCSI_ASC_LBA_OUT_OF_RANGE 0x21
#define SCSI_ASC_INVALID_FIELD_CDB 0x24
#define SCSI_ASC_INVALID_FIELD_PARAM 0x26

/* Counters of a target (`scsi-stats`), in the order printed. */
enum scsi_stat {
	SCSI_ST_READS,		/* READ commands that moved data */
	SCSI_ST_WRITES,
	SCSI_ST_READ_BYTES,
	SCSI_ST_WRITE_BYTES,
	SCSI_ST_FLUSHES,	/* fdatasync()s: SYNCHRONIZE CACHE and FUA */
	SCSI_ST_UNMAPS,		/* UNMAP commands */
	SCSI_ST_WRITE_SAMES,
	SCSI_ST_ERRORS,		/* commands that ended in CHECK CONDITION */
	SCSI_ST_NR
};

extern const char *const scsi_stat_names[SCSI_ST_NR];

/* A LUN: its backing file.  Read-only after creation except refs. */
struct scsi_lun {
	unsigned int refs;		/* atomic: the table's + one per command */
	int fd;
	char *path;
	uint64_t blocks;
	unsigned int number;
	char serial[24];		/* VPD 0x80 */
	uint64_t naa;			/* VPD 0x83: NAA 6 identifier, high half */
};

struct scsi_target {
	uint32_t id;			/* controller number: serials, NAA ids */
	uint32_t max_transfer;		/* bytes per command (VPD 0xb0) */
	pthread_mutex_t lock;		/* the table and the fault; see above */
	struct scsi_lun *lun[SCSI_NR_LUNS];
	bool fault_on;			/* medium fault armed */
	unsigned int fault_lun;
	uint64_t fault_lba, fault_count;
	uint64_t st[SCSI_ST_NR];	/* relaxed atomics */
};

enum scsi_dir {
	SCSI_DIR_NONE,
	SCSI_DIR_READ,			/* from the device into the buffer */
	SCSI_DIR_WRITE,			/* from the buffer to the device */
};

enum scsi_res {
	SCSI_RES_GOOD,
	SCSI_RES_CHECK,			/* CHECK CONDITION, sense valid */
	SCSI_RES_NO_LUN,		/* no LUN there: no status, no sense */
};

/* One command.  The caller fills the first part, scsi_exec() the rest. */
struct scsi_cmd {
	uint8_t cdb[SCSI_CDB_MAX];
	uint8_t cdb_len;		/* 1..16 */
	bool addr_ok;			/* path 0, target 0 */
	uint8_t lun;
	enum scsi_dir dir;
	const struct iovec *iov;	/* the data buffer, len bytes in all */
	unsigned int niov;
	uint32_t len;

	enum scsi_res res;
	uint32_t xfer;			/* bytes moved (<= len) */
	uint8_t sense[SCSI_SENSE_LEN];
	uint8_t sense_len;		/* SCSI_SENSE_LEN with CHECK, else 0 */
};

/* ---- the LUN table (scsi_disk.c) ---- */

void scsi_target_init(struct scsi_target *t, uint32_t id, uint32_t max_transfer);
/* Drop every LUN (no command may run any more). */
void scsi_target_fini(struct scsi_target *t);
/*
 * LUN @lun over file @path (created if missing, grown sparse to @size
 * bytes if shorter; never shrunk), @size a multiple of 512.  Returns 0,
 * -EEXIST (LUN taken), -ERANGE (bad LUN or size) or -errno of the file,
 * with a reason in @err.
 */
int scsi_lun_add(struct scsi_target *t, unsigned int lun, const char *path, uint64_t size,
		 char *err, size_t errsz);
/* Remove LUN @lun (commands in flight finish on it).  0 or -ENOENT. */
int scsi_lun_remove(struct scsi_target *t, unsigned int lun);
/* A reference to LUN @lun, or NULL.  scsi_lun_put() drops it. */
struct scsi_lun *scsi_lun_get(struct scsi_target *t, unsigned int lun);
void scsi_lun_put(struct scsi_lun *l);
/* `scsi-luns`: "lun=N path=P blocks=B" per LUN, one line each ("none" if none). */
void scsi_target_describe(struct scsi_target *t, struct strbuf *sb);
/* The LUN numbers present into @out (ascending); returns how many. */
unsigned int scsi_target_luns(struct scsi_target *t, uint8_t *out);

/*
 * Host-side inspection of the backing file of a LUN (the scsi-lun-crc32 and
 * scsi-lun-allocated commands), blocks [@lba, @lba + @count), which must lie
 * inside the LUN.  scsi_lun_crc32(): zlib's CRC-32 of those bytes as the
 * file holds them now.  scsi_lun_allocated(): how many of those bytes the
 * file has allocated (SEEK_DATA/SEEK_HOLE: a discarded range is a hole).
 * Both read the file directly, concurrently with guest I/O; 0 or -errno
 * (-ERANGE for a range outside the LUN).
 */
int scsi_lun_crc32(struct scsi_lun *l, uint64_t lba, uint64_t count, uint32_t *crc);
int scsi_lun_allocated(struct scsi_lun *l, uint64_t lba, uint64_t count, uint64_t *bytes);

/* Reads and writes touching [lba, lba + count) of LUN @lun fail with MEDIUM ERROR. */
void scsi_fault_medium(struct scsi_target *t, unsigned int lun, uint64_t lba, uint64_t count);
void scsi_fault_clear(struct scsi_target *t);
/* The first failing LBA of [lba, lba + count) on @lun, or -1 if none. */
int64_t scsi_fault_hit(struct scsi_target *t, unsigned int lun, uint64_t lba, uint64_t count);

static inline void scsi_count(struct scsi_target *t, enum scsi_stat id, uint64_t n)
{
	__atomic_fetch_add(&t->st[id], n, __ATOMIC_RELAXED);
}

static inline uint64_t scsi_stat_get(struct scsi_target *t, enum scsi_stat id)
{
	return __atomic_load_n(&t->st[id], __ATOMIC_RELAXED);
}

/*
 * "PATH:SIZE" (the last colon splits; SIZE decimal with an optional K, M
 * or G suffix, a multiple of 512, 512 .. SCSI_MAX_DISK_SIZE).  Returns 0
 * with a malloc'd *@path, or -1 with a reason in @err.
 */
int scsi_parse_disk(const char *spec, char **path, uint64_t *size, char *err, size_t errsz);

/* ---- commands (scsi_cmd.c, scsi_info.c) ---- */

/* Run @c against @t (see struct scsi_cmd).  Any thread; may block on file I/O. */
void scsi_exec(struct scsi_target *t, struct scsi_cmd *c);

/* Inside the emulation: */
void scsi_sense(struct scsi_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq);
/* The same with the information field set (VALID bit) when @info fits 32 bits. */
void scsi_sense_info(struct scsi_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq, uint64_t info);
/*
 * Data-in of a command: @n bytes of @data, cut to the allocation length
 * @alloc and the buffer.  Returns 0, or -1 after setting INVALID FIELD IN
 * CDB (the buffer is not a data-in buffer).
 */
int scsi_data_in(struct scsi_cmd *c, const void *data, uint32_t n, uint32_t alloc);
/* Copy @n bytes at offset @off of the command's buffer into @dst.  Bytes copied. */
uint32_t scsi_buf_read(const struct scsi_cmd *c, uint32_t off, void *dst, uint32_t n);
void scsi_inquiry(struct scsi_target *t, struct scsi_cmd *c);
void scsi_read_capacity(struct scsi_lun *l, struct scsi_cmd *c, bool sixteen);
void scsi_mode_sense(struct scsi_lun *l, struct scsi_cmd *c, bool ten);
void scsi_report_luns(struct scsi_target *t, struct scsi_cmd *c);

static inline uint16_t scsi_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t scsi_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t scsi_be64(const uint8_t *p)
{
	return (uint64_t)scsi_be32(p) << 32 | scsi_be32(p + 4);
}

static inline void scsi_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void scsi_put_be32(uint8_t *p, uint32_t v)
{
	scsi_put_be16(p, v >> 16);
	scsi_put_be16(p + 2, v & 0xffff);
}

static inline void scsi_put_be64(uint8_t *p, uint64_t v)
{
	scsi_put_be32(p, (uint32_t)(v >> 32));
	scsi_put_be32(p + 4, (uint32_t)v);
}

#endif /* HVHOST_SCSI_DISK_H */
