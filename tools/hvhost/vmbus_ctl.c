// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus server configuration parsing and control commands (formats in
 * Documentation/hvhost.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmbus_srv.h"

/* "X.Y" as a version number; -1 if it is not two decimal numbers. */
static int parse_xy(const char *s, size_t len, uint32_t *version)
{
	unsigned long major, minor;
	char buf[16], *end;

	if (!len || len >= sizeof(buf) || *s < '0' || *s > '9')
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	major = strtoul(buf, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return -1;
	minor = strtoul(end + 1, &end, 10);
	if (*end || errno || major > 0xffff || minor > 0xffff)
		return -1;
	*version = VMBUS_MAKE_VERSION(major, minor);
	return 0;
}

static int version_index(uint32_t v)
{
	int i;

	for (i = 0; i < VMBUS_SRV_NR_VERSIONS; i++)
		if (vmbus_srv_versions[i] == v)
			return i;
	return -1;
}

int vmbus_parse_version(const char *s, uint32_t *version)
{
	uint32_t v;

	if (parse_xy(s, strlen(s), &v) || version_index(v) < 0)
		return -1;
	*version = v;
	return 0;
}

int vmbus_parse_versions(const char *s, uint32_t *mask)
{
	uint32_t m = 0, v;
	const char *comma;
	size_t len;

	if (!strcmp(s, "none")) {
		*mask = 0;
		return 0;
	}
	if (!strcmp(s, "all")) {
		*mask = (1U << VMBUS_SRV_NR_VERSIONS) - 1;
		return 0;
	}
	for (;;) {
		comma = strchr(s, ',');
		len = comma ? (size_t)(comma - s) : strlen(s);
		if (parse_xy(s, len, &v) || version_index(v) < 0)
			return -1;
		m |= 1U << version_index(v);
		if (!comma)
			break;
		s = comma + 1;
	}
	*mask = m;
	return 0;
}

static struct vmbus_server *ctl_server(struct partition *p, struct strbuf *sb)
{
	if (!p->vmbus)
		sb_printf(sb, "error: no VMBus server");
	return p->vmbus;
}

int vmbus_ctl_state(struct partition *p, char **argv, struct strbuf *sb)
{
	struct vmbus_server *s = ctl_server(p, sb);
	unsigned int i, offers = 0;

	(void)argv;
	if (!s)
		return -1;
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < VMBUS_SRV_MAX_DEVICES; i++)
		offers += s->dev[i].state != VMBUS_DEV_FREE;
	sb_printf(sb, "version=0x%x connected=%d target_vp=%u offers=%u requested=%d gpadls=%u",
		  s->version, s->connected, s->target_vp, offers, s->requested,
		  vmbus_gpadl_count(s, 0));
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int vmbus_ctl_max_version(struct partition *p, char **argv, struct strbuf *sb)
{
	struct vmbus_server *s = ctl_server(p, sb);
	uint32_t v;

	if (!s)
		return -1;
	if (vmbus_parse_version(argv[1], &v)) {
		sb_printf(sb, "error: usage: vmbus-max-version X.Y (2.4, 3.0, 4.0, 4.1, 5.0 .. 5.3)");
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	s->max_version = v;
	pthread_mutex_unlock(&s->lock);
	sb_printf(sb, "ok");
	return 0;
}

int vmbus_ctl_offer(struct partition *p, char **argv, struct strbuf *sb)
{
	struct vmbus_server *s = ctl_server(p, sb);
	int relid;

	if (!s)
		return -1;
	if (strcmp(argv[1], "echo")) {
		sb_printf(sb, "error: usage: vmbus-offer echo");
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	relid = vmbus_hot_add(s);
	pthread_mutex_unlock(&s->lock);
	if (!relid) {
		sb_printf(sb, "error: no free relid (at most %u devices)", VMBUS_SRV_MAX_DEVICES);
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

int vmbus_ctl_rescind(struct partition *p, char **argv, struct strbuf *sb)
{
	struct vmbus_server *s = ctl_server(p, sb);
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
	rc = vmbus_rescind(s, (uint32_t)relid);
	pthread_mutex_unlock(&s->lock);
	if (rc) {
		sb_printf(sb, "error: relid %ld is not an offered device", relid);
		return -1;
	}
	sb_printf(sb, "ok");
	return 0;
}

static const char *chan_state(const struct vmbus_dev *d)
{
	switch (d->state) {
	case VMBUS_DEV_ACTIVE:
		return d->chan.open ? "open" : "offered";
	case VMBUS_DEV_RESCINDED:
		return "rescinded";
	default:
		return "released";	/* by the guest, after a rescind or without one */
	}
}

int vmbus_ctl_chan(struct partition *p, char **argv, struct strbuf *sb)
{
	struct vmbus_server *s = ctl_server(p, sb);
	struct vmbus_dev *d;
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
	d = vmbus_dev_get(s, (uint32_t)relid);
	if (!d || (d->state == VMBUS_DEV_FREE && !d->known)) {
		pthread_mutex_unlock(&s->lock);
		sb_printf(sb, "error: relid %ld never held a device", relid);
		return -1;
	}
	pthread_mutex_lock(&d->chan.lock);
	sb_printf(sb, "state=%s target_vp=%u", chan_state(d), d->chan.target_vp);
	pthread_mutex_unlock(&d->chan.lock);
	for (i = 0; i < CHAN_STAT_NR; i++) {
		if (i == CHAN_RING_ERRORS)
			sb_printf(sb, " gpadls=%u", vmbus_gpadl_count(s, (uint32_t)relid));
		sb_printf(sb, " %s=%llu", vmbus_chan_stat_names[i],
			  (unsigned long long)vmbus_chan_stat_get(&d->chan, i));
	}
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int vmbus_ctl_gpadls(struct partition *p, char **argv, struct strbuf *sb)
{
	struct vmbus_server *s = ctl_server(p, sb);

	(void)argv;
	if (!s)
		return -1;
	pthread_mutex_lock(&s->lock);
	sb_printf(sb, "count=%u pages=%llu", vmbus_gpadl_count(s, 0),
		  (unsigned long long)vmbus_gpadl_pages(s));
	pthread_mutex_unlock(&s->lock);
	return 0;
}
