// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus server control commands (formats in Documentation/hvhost.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmbus_srv.h"

static struct hvh_srv *ctl_server(struct partition *p, struct strbuf *sb)
{
	if (!p->vmbus)
		sb_printf(sb, "error: no VMBus server");
	return p->vmbus;
}

int hvh_ctl_state(struct partition *p, char **argv, struct strbuf *sb)
{
	struct hvh_srv *s = ctl_server(p, sb);

	(void)argv;
	if (!s)
		return -1;
	pthread_mutex_lock(&s->lock);
	sb_printf(sb, "version=0x%x connected=%d target_vp=%u offers=%u requested=%d gpadls=%u",
		  s->version, s->connected, s->target_vp, hvh_count_primaries(s), s->requested,
		  hvh_gpadl_count(s, 0));
	sb_printf(sb, " subchannels=%u", hvh_count_subs(s));
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int hvh_ctl_max_version(struct partition *p, char **argv, struct strbuf *sb)
{
	struct hvh_srv *s = ctl_server(p, sb);
	uint32_t v;

	if (!s)
		return -1;
	if (hvh_parse_version(argv[1], &v)) {
		sb_printf(sb, "error: usage: vmbus-max-version X.Y (2.4, 3.0, 4.0, 4.1, 5.0 .. 5.3)");
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	s->max_version = v;
	pthread_mutex_unlock(&s->lock);
	sb_printf(sb, "ok");
	return 0;
}

int hvh_ctl_offer(struct partition *p, char **argv, struct strbuf *sb)
{
	struct hvh_srv *s = ctl_server(p, sb);
	int relid;

	if (!s)
		return -1;
	if (!strcmp(argv[1], "scsi") && argv[2])
		return storvsp_ctl_offer(p, argv[2], sb);
	if (strcmp(argv[1], "echo") || argv[2]) {
		sb_printf(sb, "error: usage: vmbus-offer echo | scsi PATH:SIZE[,PATH:SIZE...]");
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	relid = hvh_hot_add_echo(s);
	pthread_mutex_unlock(&s->lock);
	if (!relid) {
		sb_printf(sb, "error: no free relid (at most %u devices, %u channels)",
			  HVH_SRV_MAX_DEVICES, HVH_SRV_MAX_CHANNELS);
		return -1;
	}
	sb_printf(sb, "relid=%d", relid);
	return 0;
}

/* A decimal relid 0..VMBUS_RELID_MAX; -1 if @arg is not one. */
static long parse_relid(const char *arg)
{
	unsigned long relid;
	char *end;

	errno = 0;
	relid = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || errno || relid > VMBUS_RELID_MAX)
		return -1;
	return (long)relid;
}

int hvh_ctl_rescind(struct partition *p, char **argv, struct strbuf *sb)
{
	struct hvh_srv *s = ctl_server(p, sb);
	long relid;
	int rc;

	if (!s)
		return -1;
	relid = parse_relid(argv[1]);
	if (relid < 0) {
		sb_printf(sb, "error: usage: vmbus-rescind RELID");
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	rc = hvh_rescind(s, (uint32_t)relid);
	pthread_mutex_unlock(&s->lock);
	if (rc) {
		sb_printf(sb, "error: relid %ld is not an offered device", relid);
		return -1;
	}
	sb_printf(sb, "ok");
	return 0;
}

static int offer_sub_error(struct strbuf *sb, int rc, long relid, unsigned int n,
			   unsigned int have, unsigned int max)
{
	if (rc == -ENOENT)
		sb_printf(sb, "error: relid %ld is not an offered primary channel", relid);
	else if (rc == -ERANGE)
		sb_printf(sb, "error: relid %ld has %u of at most %u subchannels: %u more is too many",
			  relid, have, max, n);
	else
		sb_printf(sb, "error: not enough free relids for %u subchannels (at most %u channels)",
			  n, HVH_SRV_MAX_CHANNELS);
	return -1;
}

int hvh_ctl_offer_sub(struct partition *p, char **argv, struct strbuf *sb)
{
	struct hvh_srv *s = ctl_server(p, sb);
	uint32_t relids[HVH_SRV_MAX_SUB];
	unsigned long n = 1;
	unsigned int i, have = 0, max = 0;
	char *end;
	long relid;
	int rc;

	if (!s)
		return -1;
	relid = parse_relid(argv[1]);
	if (argv[2]) {
		errno = 0;
		n = strtoul(argv[2], &end, 10);
		if (*argv[2] < '0' || *argv[2] > '9' || *end || errno)
			n = 0;
	}
	if (relid < 0 || n < 1 || n > HVH_SRV_MAX_SUB) {
		sb_printf(sb, "error: usage: vmbus-offer-sub RELID [N] (N 1..%u, default 1)",
			  HVH_SRV_MAX_SUB);
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	rc = hvh_sub_host_offer(s, (uint32_t)relid, (unsigned int)n, relids, &have, &max);
	pthread_mutex_unlock(&s->lock);
	if (rc)
		return offer_sub_error(sb, rc, relid, (unsigned int)n, have, max);
	sb_printf(sb, "relids=");
	for (i = 0; i < n; i++)
		sb_printf(sb, "%s%u", i ? "," : "", relids[i]);
	return 0;
}

static const char *chan_state(const struct hvh_dev *d)
{
	switch (d->state) {
	case HVH_DEV_ACTIVE:
		return d->chan.open ? "open" : "offered";
	case HVH_DEV_RESCINDED:
		return "rescinded";
	default:
		return "released";	/* by the guest, after a rescind or without one */
	}
}

int hvh_ctl_chan(struct partition *p, char **argv, struct strbuf *sb)
{
	struct hvh_srv *s = ctl_server(p, sb);
	struct hvh_dev *d;
	unsigned int i;
	long relid;

	if (!s)
		return -1;
	relid = parse_relid(argv[1]);
	if (relid < 0) {
		sb_printf(sb, "error: usage: vmbus-chan RELID");
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	d = hvh_dev_get(s, (uint32_t)relid);
	if (!d || (d->state == HVH_DEV_FREE && !d->known)) {
		pthread_mutex_unlock(&s->lock);
		sb_printf(sb, "error: relid %ld never held a device", relid);
		return -1;
	}
	pthread_mutex_lock(&d->chan.lock);
	sb_printf(sb, "state=%s target_vp=%u", chan_state(d), d->chan.target_vp);
	pthread_mutex_unlock(&d->chan.lock);
	for (i = 0; i <= CHAN_RING_ERRORS; i++) {
		if (i == CHAN_RING_ERRORS)
			sb_printf(sb, " gpadls=%u", hvh_gpadl_count(s, (uint32_t)relid));
		sb_printf(sb, " %s=%llu", hvh_chan_stat_names[i],
			  (unsigned long long)hvh_chan_stat_get(&d->chan, i));
	}
	sb_printf(sb, " primary=%u sub_index=%u monitor_id=%u %s=%llu", d->primary, d->sub_index,
		  d->monitored ? d->monitor_id : VMBUS_MONITOR_ID_NONE,
		  hvh_chan_stat_names[CHAN_MNF_SIGNALS],
		  (unsigned long long)hvh_chan_stat_get(&d->chan, CHAN_MNF_SIGNALS));
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int hvh_ctl_gpadls(struct partition *p, char **argv, struct strbuf *sb)
{
	struct hvh_srv *s = ctl_server(p, sb);

	(void)argv;
	if (!s)
		return -1;
	pthread_mutex_lock(&s->lock);
	sb_printf(sb, "count=%u pages=%llu", hvh_gpadl_count(s, 0),
		  (unsigned long long)hvh_gpadl_pages(s));
	pthread_mutex_unlock(&s->lock);
	return 0;
}
