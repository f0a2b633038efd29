// SPDX-License-Identifier: GPL-2.0
/*
 * The LUN table of a SCSI target: backing files, references, the medium
 * fault, counters and PATH:SIZE specs (see scsi_disk.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32.h"
#include "scsi_disk.h"

const char *const scsi_stat_names[SCSI_ST_NR] = {
	[SCSI_ST_READS]		= "reads",
	[SCSI_ST_WRITES]	= "writes",
	[SCSI_ST_READ_BYTES]	= "read_bytes",
	[SCSI_ST_WRITE_BYTES]	= "write_bytes",
	[SCSI_ST_FLUSHES]	= "flushes",
	[SCSI_ST_UNMAPS]	= "unmaps",
	[SCSI_ST_WRITE_SAMES]	= "write_sames",
	[SCSI_ST_ERRORS]	= "errors",
};

void scsi_target_init(struct scsi_target *t, uint32_t id, uint32_t max_transfer)
{
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->max_transfer = max_transfer;
	pthread_mutex_init(&t->lock, NULL);
}

void scsi_target_fini(struct scsi_target *t)
{
	unsigned int i;

	for (i = 0; i < SCSI_NR_LUNS; i++)
		scsi_lun_remove(t, i);
	pthread_mutex_destroy(&t->lock);
}

static void lun_free(struct scsi_lun *l)
{
	close(l->fd);
	free(l->path);
	free(l);
}

void scsi_lun_put(struct scsi_lun *l)
{
	if (l && __atomic_sub_fetch(&l->refs, 1, __ATOMIC_ACQ_REL) == 0)
		lun_free(l);
}

struct scsi_lun *scsi_lun_get(struct scsi_target *t, unsigned int lun)
{
	struct scsi_lun *l = NULL;

	if (lun >= SCSI_NR_LUNS)
		return NULL;
	pthread_mutex_lock(&t->lock);
	l = t->lun[lun];
	if (l)
		__atomic_add_fetch(&l->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&t->lock);
	return l;
}

/* Open (create) @path and make it at least @size bytes.  fd or -errno. */
static int lun_open(const char *path, uint64_t size, char *err, size_t errsz)
{
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size < size && ftruncate(fd, (off_t)size)) {
		rc = -errno;
		snprintf(err, errsz, "%s: cannot grow to %llu bytes: %s", path,
			 (unsigned long long)size, strerror(errno));
		close(fd);
		return rc;
	}
	return fd;
}

static struct scsi_lun *lun_new(struct scsi_target *t, unsigned int lun, const char *path,
				uint64_t size, int fd)
{
	struct scsi_lun *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->path = strdup(path);
	if (!l->path) {
		free(l);
		return NULL;
	}
	l->refs = 1;
	l->fd = fd;
	l->blocks = size / SCSI_BLOCK_SIZE;
	l->number = lun;
	snprintf(l->serial, sizeof(l->serial), "HVS%04X%03u", t->id & 0xffff, lun);
	/* NAA 6, OUI 00-15-5d (Hyper-V), then controller and LUN. */
	l->naa = 0x600155dULL << 36 | (uint64_t)(t->id & 0xffffff) << 12 | lun;
	return l;
}

int scsi_lun_add(struct scsi_target *t, unsigned int lun, const char *path, uint64_t size,
		 char *err, size_t errsz)
{
	struct scsi_lun *l;
	int fd;

	if (lun >= SCSI_NR_LUNS || !size || size % SCSI_BLOCK_SIZE || size > SCSI_MAX_DISK_SIZE) {
		snprintf(err, errsz, "LUN 0..%u and a size of 512-byte blocks up to 16 TiB",
			 SCSI_MAX_LUN);
		return -ERANGE;
	}
	pthread_mutex_lock(&t->lock);
	if (t->lun[lun]) {
		pthread_mutex_unlock(&t->lock);
		snprintf(err, errsz, "LUN %u exists", lun);
		return -EEXIST;
	}
	pthread_mutex_unlock(&t->lock);
	fd = lun_open(path, size, err, errsz);
	if (fd < 0)
		return fd;
	l = lun_new(t, lun, path, size, fd);
	if (!l) {
		close(fd);
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	pthread_mutex_lock(&t->lock);
	if (t->lun[lun]) {		/* raced with another add */
		pthread_mutex_unlock(&t->lock);
		lun_free(l);
		snprintf(err, errsz, "LUN %u exists", lun);
		return -EEXIST;
	}
	t->lun[lun] = l;
	pthread_mutex_unlock(&t->lock);
	return 0;
}

int scsi_lun_remove(struct scsi_target *t, unsigned int lun)
{
	struct scsi_lun *l;

	if (lun >= SCSI_NR_LUNS)
		return -ENOENT;
	pthread_mutex_lock(&t->lock);
	l = t->lun[lun];
	t->lun[lun] = NULL;
	if (l && t->fault_on && t->fault_lun == lun)
		t->fault_on = false;
	pthread_mutex_unlock(&t->lock);
	if (!l)
		return -ENOENT;
	scsi_lun_put(l);
	return 0;
}

void scsi_target_describe(struct scsi_target *t, struct strbuf *sb)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < SCSI_NR_LUNS; i++) {
		if (!t->lun[i])
			continue;
		sb_printf(sb, "%slun=%u path=%s blocks=%llu", n++ ? "\n" : "", i, t->lun[i]->path,
			  (unsigned long long)t->lun[i]->blocks);
	}
	pthread_mutex_unlock(&t->lock);
	if (!n)
		sb_printf(sb, "none");
}

unsigned int scsi_target_luns(struct scsi_target *t, uint8_t *out)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < SCSI_NR_LUNS; i++)
		if (t->lun[i])
			out[n++] = (uint8_t)i;
	pthread_mutex_unlock(&t->lock);
	return n;
}

static bool lun_range_ok(const struct scsi_lun *l, uint64_t lba, uint64_t count)
{
	return lba <= l->blocks && count <= l->blocks - lba;
}

int scsi_lun_crc32(struct scsi_lun *l, uint64_t lba, uint64_t count, uint32_t *crc)
{
	const size_t chunk = 1 << 20;
	uint64_t off = lba * SCSI_BLOCK_SIZE, end = (lba + count) * SCSI_BLOCK_SIZE;
	uint32_t c = 0;
	char *buf;
	ssize_t n;

	if (!lun_range_ok(l, lba, count))
		return -ERANGE;
	buf = malloc(chunk);
	if (!buf)
		return -ENOMEM;
	while (off < end) {
		n = pread(l->fd, buf, end - off < chunk ? end - off : chunk, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* A file never ends inside the LUN (grown at add): an error. */
			n = n < 0 ? -errno : -EIO;
			free(buf);
			return (int)n;
		}
		c = crc32_update(c, buf, (size_t)n);
		off += (uint64_t)n;
	}
	free(buf);
	*crc = c;
	return 0;
}

int scsi_lun_allocated(struct scsi_lun *l, uint64_t lba, uint64_t count, uint64_t *bytes)
{
	off_t off = (off_t)(lba * SCSI_BLOCK_SIZE), end = (off_t)((lba + count) * SCSI_BLOCK_SIZE);
	off_t data, hole;
	uint64_t sum = 0;

	if (!lun_range_ok(l, lba, count))
		return -ERANGE;
	while (off < end) {
		data = lseek(l->fd, off, SEEK_DATA);
		if (data < 0 && errno == ENXIO)
			break;			/* only holes from off to the end of the file */
		if (data < 0)
			return -errno;
		if (data >= end)
			break;
		hole = lseek(l->fd, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		sum += (uint64_t)((hole < end ? hole : end) - data);
		off = hole;
	}
	*bytes = sum;
	return 0;
}

void scsi_fault_medium(struct scsi_target *t, unsigned int lun, uint64_t lba, uint64_t count)
{
	pthread_mutex_lock(&t->lock);
	t->fault_on = count > 0;
	t->fault_lun = lun;
	t->fault_lba = lba;
	t->fault_count = count;
	pthread_mutex_unlock(&t->lock);
}

void scsi_fault_clear(struct scsi_target *t)
{
	pthread_mutex_lock(&t->lock);
	t->fault_on = false;
	pthread_mutex_unlock(&t->lock);
}

int64_t scsi_fault_hit(struct scsi_target *t, unsigned int lun, uint64_t lba, uint64_t count)
{
	uint64_t fend, end = lba + count;
	int64_t hit = -1;

	pthread_mutex_lock(&t->lock);
	if (t->fault_on && t->fault_lun == lun && count) {
		fend = t->fault_lba + t->fault_count;
		if (fend < t->fault_lba)
			fend = UINT64_MAX;
		if (lba < fend && t->fault_lba < end)
			hit = (int64_t)(lba > t->fault_lba ? lba : t->fault_lba);
	}
	pthread_mutex_unlock(&t->lock);
	return hit;
}

int scsi_parse_disk(const char *spec, char **path, uint64_t *size, char *err, size_t errsz)
{
	const char *colon = strrchr(spec, ':');
	unsigned long long n, mult = 1;
	char *end;

	if (!colon || colon == spec) {
		snprintf(err, errsz, "'%s' is not PATH:SIZE", spec);
		return -1;
	}
	errno = 0;
	n = strtoull(colon + 1, &end, 10);
	if (*end == 'K' || *end == 'k')
		mult = 1ULL << 10;
	else if (*end == 'M' || *end == 'm')
		mult = 1ULL << 20;
	else if (*end == 'G' || *end == 'g')
		mult = 1ULL << 30;
	if (mult > 1)
		end++;
	if (colon[1] < '0' || colon[1] > '9' || *end || errno || !n ||
	    n > SCSI_MAX_DISK_SIZE / mult || (n * mult) % SCSI_BLOCK_SIZE) {
		snprintf(err, errsz, "'%s': SIZE must be 512 bytes .. 16 TiB, a multiple of 512 (K, M, G suffixes)",
			 spec);
		return -1;
	}
	*path = strndup(spec, (size_t)(colon - spec));
	if (!*path) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	*size = n * mult;
	return 0;
}
