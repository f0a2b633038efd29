// SPDX-License-Identifier: GPL-2.0
/*
 * storvsp: controller configuration (--scsi, the config file's scsi
 * statement) and the control commands scsi-luns, scsi-lun-add,
 * scsi-lun-remove, scsi-lun-crc32, scsi-lun-allocated, scsi-stats,
 * scsi-max-version, scsi-fault, scsi-notify and `vmbus-offer scsi`
 * (answer formats in Documentation/hvhost.md).  Control commands run on
 * the main thread (or a VP thread for HOSTCTL) and hold the server lock
 * while they use a controller: it cannot be freed under them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "storvsp.h"
#include "util.h"
#include "vmbus_srv.h"

void storvsp_config_init(struct storvsp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_sub = HVH_SRV_DEFAULT_SUB;
	c->max_transfer = STORVSP_MAX_TRANSFER_DEFAULT;
}

void storvsp_config_free(struct storvsp_config *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_disks; i++)
		free(c->disk[i].path);
	c->nr_disks = 0;
}

int storvsp_config_add_disk(struct storvsp_config *c, const char *spec, char *err,
			    size_t errsz)
{
	struct storvsp_disk *d;

	if (c->nr_disks == STORVSP_MAX_DISKS) {
		snprintf(err, errsz, "more than %u disks on one controller", STORVSP_MAX_DISKS);
		return -1;
	}
	d = &c->disk[c->nr_disks];
	if (scsi_parse_disk(spec, &d->path, &d->size, err, errsz))
		return -1;
	c->nr_disks++;
	return 0;
}

int storvsp_config_add_list(struct storvsp_config *c, const char *list, char *err,
			    size_t errsz)
{
	char *copy = strdup(list), *save = NULL, *w;
	int rc = 0;

	if (!copy) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (w = strtok_r(copy, ",", &save); w && !rc; w = strtok_r(NULL, ",", &save))
		rc = storvsp_config_add_disk(c, w, err, errsz);
	free(copy);
	return rc;
}

int storvsp_parse_transfer(const char *s, uint32_t *out)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k') {
		n <<= 10;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		n <<= 20;
		end++;
	}
	if (*s < '0' || *s > '9' || *end || errno || n < STORVSP_MAX_TRANSFER_MIN ||
	    n > STORVSP_MAX_TRANSFER_MAX)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

/* ---- control commands ------------------------------------------------------ */

/*
 * Lock the server and find the SCSI controller on primary relid @arg.
 * Returns it with the lock held, or NULL (unlocked, error in @sb).
 */
static struct storvsp *ctl_ctrl(struct partition *p, const char *arg, struct strbuf *sb,
				struct hvh_dev **dp)
{
	struct hvh_srv *s = p->vmbus;
	unsigned long long relid;
	struct hvh_dev *d;

	if (!s) {
		sb_printf(sb, "error: no VMBus server");
		return NULL;
	}
	if (parse_ull(arg, HVH_SRV_MAX_CHANNELS, &relid)) {
		sb_printf(sb, "error: bad relid '%.32s'", arg);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	d = hvh_dev_get(s, (uint32_t)relid);
	if (!d || d->state == HVH_DEV_FREE || d->sub_index || d->chan.vsp != &storvsp_vsp) {
		pthread_mutex_unlock(&s->lock);
		sb_printf(sb, "error: relid %llu is not a SCSI controller", relid);
		return NULL;
	}
	if (dp)
		*dp = d;
	return d->chan.vsp_ctx;
}

static void ctl_done(struct partition *p)
{
	pthread_mutex_unlock(&p->vmbus->lock);
}

int storvsp_ctl_luns(struct partition *p, char **argv, struct strbuf *sb)
{
	struct storvsp *sp = ctl_ctrl(p, argv[1], sb, NULL);

	if (!sp)
		return -1;
	scsi_target_describe(&sp->tgt, sb);
	ctl_done(p);
	return 0;
}

int storvsp_ctl_lun_add(struct partition *p, char **argv, struct strbuf *sb)
{
	unsigned long long lun;
	struct hvh_dev *d;
	struct storvsp *sp;
	char err[256];
	uint64_t size;
	char *path;
	int rc;

	if (parse_ull(argv[2], SCSI_MAX_LUN, &lun)) {
		sb_printf(sb, "error: usage: scsi-lun-add RELID LUN PATH:SIZE (LUN 0..%u)",
			  SCSI_MAX_LUN);
		return -1;
	}
	if (scsi_parse_disk(argv[3], &path, &size, err, sizeof(err))) {
		sb_printf(sb, "error: %s", err);
		return -1;
	}
	sp = ctl_ctrl(p, argv[1], sb, &d);
	if (!sp) {
		free(path);
		return -1;
	}
	rc = scsi_lun_add(&sp->tgt, (unsigned int)lun, path, size, err, sizeof(err));
	if (!rc)
		storvsp_notify(sp, &d->chan, VSTOR_OP_ENUMERATE_BUS);
	ctl_done(p);
	free(path);
	if (rc) {
		sb_printf(sb, "error: %s", err);
		return -1;
	}
	sb_printf(sb, "ok");
	return 0;
}

int storvsp_ctl_lun_remove(struct partition *p, char **argv, struct strbuf *sb)
{
	unsigned long long lun;
	struct hvh_dev *d;
	struct storvsp *sp;
	int rc;

	if (parse_ull(argv[2], SCSI_MAX_LUN, &lun) || (argv[3] && strcmp(argv[3], "quiet"))) {
		sb_printf(sb, "error: usage: scsi-lun-remove RELID LUN [quiet]");
		return -1;
	}
	sp = ctl_ctrl(p, argv[1], sb, &d);
	if (!sp)
		return -1;
	rc = scsi_lun_remove(&sp->tgt, (unsigned int)lun);
	if (!rc && !argv[3])
		storvsp_notify(sp, &d->chan, VSTOR_OP_ENUMERATE_BUS);
	ctl_done(p);
	if (rc) {
		sb_printf(sb, "error: no LUN %llu", lun);
		return -1;
	}
	sb_printf(sb, "ok");
	return 0;
}

int storvsp_ctl_stats(struct partition *p, char **argv, struct strbuf *sb)
{
	struct storvsp *sp = ctl_ctrl(p, argv[1], sb, NULL);
	struct hvh_srv *s = p->vmbus;
	unsigned int i;

	if (!sp)
		return -1;
	for (i = 0; i < SCSI_ST_NR; i++)
		sb_printf(sb, "%s%s=%llu", i ? " " : "", scsi_stat_names[i],
			  (unsigned long long)scsi_stat_get(&sp->tgt, i));
	sb_printf(sb, " dropped=%llu malformed=%llu corrupted=%llu",
		  (unsigned long long)__atomic_load_n(&sp->dropped, __ATOMIC_RELAXED),
		  (unsigned long long)__atomic_load_n(&sp->malformed, __ATOMIC_RELAXED),
		  (unsigned long long)__atomic_load_n(&sp->corrupted, __ATOMIC_RELAXED));
	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++) {
		struct hvh_dev *d = &s->dev[i];

		if (d->state == HVH_DEV_FREE || d->primary != sp->relid ||
		    d->chan.vsp_ctx != sp)
			continue;
		sb_printf(sb, " relid=%u:srbs=%llu", i + 1,
			  (unsigned long long)__atomic_load_n(&d->chan.vsp_count, __ATOMIC_RELAXED));
	}
	ctl_done(p);
	return 0;
}

/*
 * scsi-lun-crc32 / scsi-lun-allocated RELID LUN LBA COUNT: take a reference
 * to the LUN under the server lock, then read its file without the lock
 * (a LUN removed meanwhile stays open until the reference goes).
 */
static int ctl_lun_inspect(struct partition *p, char **argv, struct strbuf *sb, bool crc)
{
	unsigned long long lun, lba, count;
	struct storvsp *sp;
	struct scsi_lun *l;
	uint64_t bytes = 0;
	uint32_t c = 0;
	int rc;

	if (parse_ull(argv[2], SCSI_MAX_LUN, &lun) || parse_ull(argv[3], UINT64_MAX >> 9, &lba) ||
	    parse_ull(argv[4], UINT64_MAX >> 9, &count)) {
		sb_printf(sb, "error: usage: %s RELID LUN LBA COUNT", argv[0]);
		return -1;
	}
	sp = ctl_ctrl(p, argv[1], sb, NULL);
	if (!sp)
		return -1;
	l = scsi_lun_get(&sp->tgt, (unsigned int)lun);
	ctl_done(p);
	if (!l) {
		sb_printf(sb, "error: no LUN %llu", lun);
		return -1;
	}
	rc = crc ? scsi_lun_crc32(l, lba, count, &c) : scsi_lun_allocated(l, lba, count, &bytes);
	scsi_lun_put(l);
	if (rc == -ERANGE) {
		sb_printf(sb, "error: blocks %llu+%llu are not inside LUN %llu", lba, count, lun);
		return -1;
	}
	if (rc) {
		sb_printf(sb, "error: reading LUN %llu: %s", lun, strerror(-rc));
		return -1;
	}
	if (crc)
		sb_printf(sb, "crc32=%08x bytes=%llu", c, count * SCSI_BLOCK_SIZE);
	else
		sb_printf(sb, "allocated=%llu bytes=%llu", (unsigned long long)bytes,
			  count * SCSI_BLOCK_SIZE);
	return 0;
}

int storvsp_ctl_lun_crc32(struct partition *p, char **argv, struct strbuf *sb)
{
	return ctl_lun_inspect(p, argv, sb, true);
}

int storvsp_ctl_lun_allocated(struct partition *p, char **argv, struct strbuf *sb)
{
	return ctl_lun_inspect(p, argv, sb, false);
}

/* scsi-max-version RELID 6.2|6.0|5.1|none: for the guest's next negotiation. */
int storvsp_ctl_max_version(struct partition *p, char **argv, struct strbuf *sb)
{
	static const struct { const char *name; uint16_t v; } vers[] = {
		{ "6.2", VSTOR_VERSION_WIN10 }, { "6.0", VSTOR_VERSION_WIN8_1 },
		{ "5.1", VSTOR_VERSION_WIN8 }, { "none", 0 },
	};
	struct storvsp *sp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vers); i++)
		if (!strcmp(argv[2], vers[i].name))
			break;
	if (i == ARRAY_SIZE(vers)) {
		sb_printf(sb, "error: usage: scsi-max-version RELID 6.2|6.0|5.1|none");
		return -1;
	}
	sp = ctl_ctrl(p, argv[1], sb, NULL);
	if (!sp)
		return -1;
	pthread_mutex_lock(&sp->lock);
	sp->max_version = vers[i].v;
	pthread_mutex_unlock(&sp->lock);
	ctl_done(p);
	sb_printf(sb, "ok");
	return 0;
}

/* scsi-fault RELID corrupt short|op|xfer|sense N: the next N SRB completions mangled. */
static int fault_corrupt(struct storvsp *sp, char **argv)
{
	static const char *const kinds[] = {
		[STORVSP_CORRUPT_SHORT] = "short", [STORVSP_CORRUPT_OP] = "op",
		[STORVSP_CORRUPT_XFER] = "xfer", [STORVSP_CORRUPT_SENSE] = "sense",
	};
	unsigned long long n;
	unsigned int k;

	if (!argv[3] || !argv[4] || argv[5] || parse_ull(argv[4], UINT32_MAX, &n))
		return -1;
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		if (strcmp(argv[3], kinds[k]))
			continue;
		pthread_mutex_lock(&sp->lock);
		sp->corrupt_kind = (enum storvsp_corrupt)k;
		sp->corrupt = n;
		pthread_mutex_unlock(&sp->lock);
		return 0;
	}
	return -1;
}

/*
 * scsi-fault RELID medium LUN LBA COUNT | delay MS | drop N | queue N |
 * corrupt KIND N | clear
 */
static int fault_apply(struct storvsp *sp, char **argv, struct strbuf *sb)
{
	unsigned long long a, b, c;

	if (!strcmp(argv[2], "corrupt") && !fault_corrupt(sp, argv))
		return 0;

	if (!strcmp(argv[2], "medium") && argv[3] && argv[4] && argv[5] &&
	    !parse_ull(argv[3], SCSI_MAX_LUN, &a) && !parse_ull(argv[4], UINT64_MAX >> 9, &b) &&
	    !parse_ull(argv[5], UINT64_MAX >> 9, &c)) {
		scsi_fault_medium(&sp->tgt, (unsigned int)a, b, c);
		return 0;
	}
	if (!strcmp(argv[2], "delay") && argv[3] && !argv[4] &&
	    !parse_ull(argv[3], STORVSP_MAX_DELAY_MS, &a)) {
		pthread_mutex_lock(&sp->lock);
		sp->delay_ms = (unsigned int)a;
		pthread_cond_broadcast(&sp->work);	/* a shorter delay applies at once */
		pthread_mutex_unlock(&sp->lock);
		return 0;
	}
	if (!strcmp(argv[2], "drop") && argv[3] && !argv[4] &&
	    !parse_ull(argv[3], UINT32_MAX, &a)) {
		pthread_mutex_lock(&sp->lock);
		sp->drop = a;
		pthread_mutex_unlock(&sp->lock);
		return 0;
	}
	if (!strcmp(argv[2], "queue") && argv[3] && !argv[4] &&
	    !parse_ull(argv[3], STORVSP_MAX_QUEUE, &a)) {
		pthread_mutex_lock(&sp->lock);
		sp->queue_max = (unsigned int)a;
		pthread_cond_broadcast(&sp->room);
		pthread_mutex_unlock(&sp->lock);
		return 0;
	}
	if (!strcmp(argv[2], "clear") && !argv[3]) {
		scsi_fault_clear(&sp->tgt);
		pthread_mutex_lock(&sp->lock);
		sp->delay_ms = 0;
		sp->drop = 0;
		sp->queue_max = 0;
		sp->corrupt = 0;
		pthread_cond_broadcast(&sp->room);
		pthread_cond_broadcast(&sp->work);
		pthread_mutex_unlock(&sp->lock);
		return 0;
	}
	sb_printf(sb, "error: usage: scsi-fault RELID medium LUN LBA COUNT | delay MS | drop N | queue N | corrupt short|op|xfer|sense N | clear");
	return -1;
}

int storvsp_ctl_fault(struct partition *p, char **argv, struct strbuf *sb)
{
	struct storvsp *sp = ctl_ctrl(p, argv[1], sb, NULL);
	int rc;

	if (!sp)
		return -1;
	rc = fault_apply(sp, argv, sb);
	ctl_done(p);
	if (!rc)
		sb_printf(sb, "ok");
	return rc;
}

/* scsi-notify RELID enumerate|remove|OP: one host message on the primary. */
int storvsp_ctl_notify(struct partition *p, char **argv, struct strbuf *sb)
{
	unsigned long long op;
	struct hvh_dev *d;
	struct storvsp *sp;
	bool sent;

	if (!strcmp(argv[2], "enumerate"))
		op = VSTOR_OP_ENUMERATE_BUS;
	else if (!strcmp(argv[2], "remove"))
		op = VSTOR_OP_REMOVE_DEVICE;
	else if (parse_ull(argv[2], UINT32_MAX, &op) || !op) {
		sb_printf(sb, "error: usage: scsi-notify RELID enumerate|remove|OP (OP 1..%u)",
			  UINT32_MAX);
		return -1;
	}
	sp = ctl_ctrl(p, argv[1], sb, &d);
	if (!sp)
		return -1;
	sent = storvsp_notify(sp, &d->chan, (uint32_t)op);
	ctl_done(p);
	if (!sent) {
		sb_printf(sb, "error: controller not initialised or its channel not open");
		return -1;
	}
	sb_printf(sb, "ok");
	return 0;
}

int storvsp_ctl_offer(struct partition *p, const char *list, struct strbuf *sb)
{
	struct hvh_srv *s = p->vmbus;
	struct storvsp_config c;
	struct storvsp *sp;
	uint32_t index, relid;
	char err[256];
	int rc;

	storvsp_config_init(&c);
	if (storvsp_config_add_list(&c, list, err, sizeof(err))) {
		storvsp_config_free(&c);
		sb_printf(sb, "error: %s", err);
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	index = s->scsi_made++;
	pthread_mutex_unlock(&s->lock);
	rc = storvsp_create(p, &c, index, &sp, err, sizeof(err));	/* file I/O: unlocked */
	storvsp_config_free(&c);
	if (rc) {
		sb_printf(sb, "error: %s", err);
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	relid = hvh_hot_add_scsi(s, sp);
	if (!relid)
		storvsp_put(sp);
	pthread_mutex_unlock(&s->lock);
	if (!relid) {
		sb_printf(sb, "error: no free relid (at most %u devices, %u channels)",
			  HVH_SRV_MAX_DEVICES, HVH_SRV_MAX_CHANNELS);
		return -1;
	}
	sb_printf(sb, "relid=%u", relid);
	return 0;
}
