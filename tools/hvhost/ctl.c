// SPDX-License-Identifier: GPL-2.0
/*
 * The control command processor (formats documented in
 * Documentation/hvhost.md; tests parse them).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crash.h"
#include "ctl.h"
#include "log.h"
#include "reftime.h"
#include "synic.h"
#include "util.h"
#include "vmbus_srv.h"

#define CTL_ARGS_MAX	8

struct ctl_cmd {
	const char *name;
	const char *args;	/* synopsis of the arguments */
	const char *help;
	int nargs;		/* words after the name */
	int (*fn)(struct partition *p, char **argv, struct strbuf *sb);
	int opt;		/* optional words after those (argv[] NULL when absent) */
};

static int ctl_ping(struct partition *p, char **argv, struct strbuf *sb)
{
	(void)p;
	(void)argv;
	sb_printf(sb, "pong");
	return 0;
}

static int ctl_vp_state(struct partition *p, char **argv, struct strbuf *sb)
{
	unsigned int i;

	(void)argv;
	for (i = 0; i < p->nr_vps; i++) {
		struct vp *v = &p->vp[i];

		pthread_mutex_lock(&v->lock);
		sb_printf(sb, "%svp=%u scontrol=0x%llx simp=0x%llx siefp=0x%llx sint2=0x%llx",
			  i ? "\n" : "", i, (unsigned long long)v->scontrol,
			  (unsigned long long)v->simp, (unsigned long long)v->siefp,
			  (unsigned long long)v->sint[2]);
		sb_printf(sb, " sint5=0x%llx synic_enables=%llu synic_disables=%llu",
			  (unsigned long long)v->sint[5], (unsigned long long)v->synic_enables,
			  (unsigned long long)v->synic_disables);
		pthread_mutex_unlock(&v->lock);
	}
	return 0;
}

static int ctl_stats(struct partition *p, char **argv, struct strbuf *sb)
{
	(void)argv;
	stats_format(&p->stats, sb);
	return 0;
}

static int ctl_guest_os_id(struct partition *p, char **argv, struct strbuf *sb)
{
	uint64_t id;

	(void)argv;
	pthread_mutex_lock(&p->lock);
	id = p->guest_os_id;
	pthread_mutex_unlock(&p->lock);
	sb_printf(sb, "0x%llx", (unsigned long long)id);
	return 0;
}

static int ctl_reftime(struct partition *p, char **argv, struct strbuf *sb)
{
	(void)argv;
	sb_printf(sb, "%llu", (unsigned long long)reftime_at(p, 0));
	return 0;
}

static int ctl_exit(struct partition *p, char **argv, struct strbuf *sb)
{
	const char *s = argv[1];
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || n > 255) {
		sb_printf(sb, "error: exit status must be 0..255");
		return -1;
	}
	partition_set_exit_status(p, (int)n);
	sb_printf(sb, "ok");
	return 0;
}

static int ctl_crash(struct partition *p, char **argv, struct strbuf *sb)
{
	(void)argv;
	if (!crash_last(p, sb))
		sb_printf(sb, "none");
	else if (sb->len && sb->buf[sb->len - 1] == '\n')
		sb->buf[--sb->len] = '\0';	/* answers end without a newline */
	return 0;
}

/* Parse an unsigned number (decimal or 0x hex) no larger than @max. */
static int ctl_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long n;

	if (parse_ull(s, max, &n))
		return -1;
	*out = (uint32_t)n;
	return 0;
}

/*
 * post VP SINT TYPE COUNT: queue COUNT messages at once for SINT of VP, so
 * that all but the first wait behind MessagePending and reach the guest
 * through its EOMs.  Payload: 240 bytes, le32 sequence number (0..COUNT-1)
 * then every byte equal to the sequence number's low byte.
 */
static int ctl_post(struct partition *p, char **argv, struct strbuf *sb)
{
	uint8_t payload[HV_MESSAGE_PAYLOAD_MAX];
	uint32_t vp, sint, type, count, i, le;
	uint16_t st;

	if (ctl_parse_u32(argv[1], p->nr_vps - 1, &vp) ||
	    ctl_parse_u32(argv[2], HV_SINT_COUNT - 1, &sint) ||
	    ctl_parse_u32(argv[3], 0x7fffffff, &type) || !type ||
	    ctl_parse_u32(argv[4], SYNIC_QUEUE_LEN, &count)) {
		sb_printf(sb, "error: usage: post VP SINT TYPE COUNT (VP < %u, SINT < 16, TYPE 1..0x7fffffff, COUNT <= %u)",
			  p->nr_vps, SYNIC_QUEUE_LEN);
		return -1;
	}
	for (i = 0; i < count; i++) {
		memset(payload, (int)(i & 0xff), sizeof(payload));
		le = htole32(i);
		memcpy(payload, &le, sizeof(le));
		st = synic_post(p, vp, sint, type, 0, payload, sizeof(payload));
		if (st != HV_STATUS_SUCCESS) {
			sb_printf(sb, "error: post to vp %u sint %u failed after %u messages: status 0x%04x",
				  vp, sint, i, st);
			return -1;
		}
	}
	sb_printf(sb, "queued=%u", count);
	return 0;
}

static int ctl_help(struct partition *p, char **argv, struct strbuf *sb);

static const struct ctl_cmd ctl_cmds[] = {
	{ "ping", "", "answers pong", 0, ctl_ping, 0 },
	{ "vp-state", "", "SynIC registers of every VP, one line each", 0, ctl_vp_state, 0 },
	{ "stats", "", "counters, one name=value per line", 0, ctl_stats, 0 },
	{ "guest-os-id", "", "the GUEST_OS_ID register", 0, ctl_guest_os_id, 0 },
	{ "reftime", "", "reference time in 100 ns units", 0, ctl_reftime, 0 },
	{ "exit", " N", "hvhost run exits with N (0..255) when the VM ends", 1, ctl_exit, 0 },
	{ "crash", "", "the last guest crash report, or none", 0, ctl_crash, 0 },
	{ "post", " VP SINT TYPE COUNT", "queue COUNT test messages for a SINT of a VP at once",
	  4, ctl_post, 0 },
	{ "vmbus-state", "", "VMBus connection: version, target VP, offers, GPADLs", 0,
	  hvh_ctl_state, 0 },
	{ "vmbus-max-version", " X.Y", "newest VMBus version the next INITIATE_CONTACT gets", 1,
	  hvh_ctl_max_version, 0 },
	{ "vmbus-offer", " echo | scsi PATH:SIZE[,...]",
	  "hot-add an echo device or a SCSI controller (offered at once if connected)", 1,
	  hvh_ctl_offer, 1 },
	{ "vmbus-offer-sub", " RELID [N]",
	  "offer N (default 1) more subchannels of primary RELID now", 1, hvh_ctl_offer_sub, 1 },
	{ "vmbus-rescind", " RELID",
	  "rescind the channel on RELID (a primary's subchannels first)", 1, hvh_ctl_rescind, 0 },
	{ "vmbus-chan", " RELID", "one channel: state, target VP, counters", 1, hvh_ctl_chan, 0 },
	{ "vmbus-gpadls", "", "created GPADLs and their pages", 0, hvh_ctl_gpadls, 0 },
	{ "vmbus-hostile", " CLASS[:VARIANT] [RELID]",
	  "send the guest one malformed or out-of-place thing (testing)", 1, hvh_ctl_hostile, 1 },
	{ "scsi-luns", " RELID", "the LUNs of SCSI controller RELID, one line each", 1,
	  storvsp_ctl_luns, 0 },
	{ "scsi-lun-add", " RELID LUN PATH:SIZE", "hot-add a LUN (ENUMERATE_BUS to the guest)", 3,
	  storvsp_ctl_lun_add, 0 },
	{ "scsi-lun-remove", " RELID LUN [quiet]",
	  "hot-remove a LUN (ENUMERATE_BUS to the guest unless quiet)", 2,
	  storvsp_ctl_lun_remove, 1 },
	{ "scsi-lun-crc32", " RELID LUN LBA COUNT",
	  "CRC-32 (zlib's) of blocks LBA..LBA+COUNT-1 of the LUN's backing file", 4,
	  storvsp_ctl_lun_crc32, 0 },
	{ "scsi-lun-allocated", " RELID LUN LBA COUNT",
	  "bytes of those blocks the backing file has allocated (holes excluded)", 4,
	  storvsp_ctl_lun_allocated, 0 },
	{ "scsi-stats", " RELID", "SCSI controller counters, then SRBs per channel", 1,
	  storvsp_ctl_stats, 0 },
	{ "scsi-max-version", " RELID 6.2|6.0|5.1|none",
	  "newest VSTOR version the controller accepts from the next negotiation on", 2,
	  storvsp_ctl_max_version, 0 },
	{ "scsi-fault",
	  " RELID medium LUN LBA COUNT | delay MS | drop N | queue N | corrupt short|op|xfer|sense N | clear",
	  "inject storage faults (medium errors, delayed, lost or malformed completions, a full host queue)",
	  2, storvsp_ctl_fault, 3 },
	{ "scsi-notify", " RELID enumerate|remove|OP",
	  "send the guest one host message (ENUMERATE_BUS, REMOVE_DEVICE or any operation)", 2,
	  storvsp_ctl_notify, 0 },
	{ "help", "", "this list", 0, ctl_help, 0 },
};

#define CTL_NR_CMDS	(ARRAY_SIZE(ctl_cmds))

static int ctl_help(struct partition *p, char **argv, struct strbuf *sb)
{
	unsigned int i;

	(void)p;
	(void)argv;
	for (i = 0; i < CTL_NR_CMDS; i++)
		sb_printf(sb, "%s%s%s - %s", i ? "\n" : "", ctl_cmds[i].name, ctl_cmds[i].args,
			  ctl_cmds[i].help);
	return 0;
}

int ctl_exec(struct partition *p, const char *cmd, char *out, size_t outsz)
{
	char line[CTL_CMD_MAX + 1], *argv[CTL_ARGS_MAX + 1] = { NULL }, *save = NULL, *w;
	struct strbuf sb;
	unsigned int i;
	int argc = 0;

	sb_init(&sb, out, outsz);
	if (strlen(cmd) > CTL_CMD_MAX) {
		sb_printf(&sb, "error: command too long");
		return -1;
	}
	strcpy(line, cmd);
	for (w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == CTL_ARGS_MAX) {
			sb_printf(&sb, "error: too many arguments");
			return -1;
		}
		argv[argc++] = w;
	}
	if (!argc) {
		sb_printf(&sb, "error: empty command (try help)");
		return -1;
	}
	for (i = 0; i < CTL_NR_CMDS; i++) {
		if (strcmp(argv[0], ctl_cmds[i].name))
			continue;
		if (argc - 1 < ctl_cmds[i].nargs || argc - 1 > ctl_cmds[i].nargs + ctl_cmds[i].opt) {
			sb_printf(&sb, "error: usage: %s%s", ctl_cmds[i].name, ctl_cmds[i].args);
			return -1;
		}
		return ctl_cmds[i].fn(p, argv, &sb);
	}
	sb_printf(&sb, "error: unknown command '%.64s' (try help)", argv[0]);
	return -1;
}
