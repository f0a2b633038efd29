// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus channels: OPENCHANNEL validation, CLOSECHANNEL, the ring GPADL
 * pinned while open, rescind of an open channel, reset, MODIFYCHANNEL per
 * version, channel signal connections, and the outbox delivering more
 * offers than a SINT queue holds.
 */
#include <endian.h>
#include <string.h>

#include "../ctl.h"
#include "../stats.h"
#include "../synic.h"
#include "test_vmbus.h"

#define RING_BASE	0x40	/* ring pages: 0x40 .. 0x7f */

static void setup(struct tp *t, unsigned int nr_vps, unsigned int echo, uint32_t version)
{
	vt_init_echo(t, nr_vps, echo);
	vt_connect_at(t, version, echo);
}

/* A ring GPADL of @n pages at PFNs @base .. @base + n - 1, listed backwards. */
static long ring_gpadl(struct tp *t, uint32_t relid, uint32_t handle, uint64_t base, uint32_t n)
{
	uint64_t pfn[64];
	uint32_t i;

	CHECK(n <= 64);
	for (i = 0; i < n; i++)
		pfn[i] = base + n - 1 - i;
	return vt_gpadl(t, relid, handle, pfn, n, 0, 0);
}

static bool chan_state_is(struct tp *t, uint32_t relid, const char *state)
{
	const char *a = vt_chan(t, relid);

	return !strncmp(a, "state=", 6) && !strncmp(a + 6, state, strlen(state)) &&
	       a[6 + strlen(state)] == ' ';
}

/* GPADL_HEADER for @n pages carrying only the first PFN. */
static void partial_gpadl(struct tp *t, uint32_t relid, uint32_t handle, uint32_t n)
{
	uint64_t pfn = RING_BASE;
	struct hv_message m;

	vt_gpadl_header(t, relid, handle, 0, n * HV_PAGE_SIZE, 8 + 8 * n, &pfn, 1);
	CHECK_EQ(vt_recv(t, 0, &m), -1);
}

static void chan_open_validation(void)
{
	uint64_t pfn[4] = { RING_BASE, RING_BASE + 1, RING_BASE + 2, RING_BASE + 3 };
	uint8_t *ctl;
	struct tp t;

	setup(&t, 2, 2, VMBUS_VERSION_IRON);
	CHECK(vt_open(&t, 3, 1, 2, 0) != 0);			/* relid not offered */
	CHECK(vt_open(&t, 1, 99, 2, 0) != 0);			/* no such GPADL */
	CHECK_EQ(ring_gpadl(&t, 2, 10, RING_BASE + 8, 4), 0);
	CHECK(vt_open(&t, 1, 10, 2, 0) != 0);			/* GPADL of relid 2 */
	CHECK_EQ(vt_gpadl(&t, 1, 11, pfn, 4, 8, 4 * HV_PAGE_SIZE - 8), 0);
	CHECK(vt_open(&t, 1, 11, 2, 0) != 0);			/* byte_offset 8 */
	CHECK_EQ(vt_gpadl(&t, 1, 12, pfn, 4, 0, 4 * HV_PAGE_SIZE - 100), 0);
	CHECK(vt_open(&t, 1, 12, 2, 0) != 0);			/* not whole pages */
	CHECK_EQ(vt_gpadl(&t, 1, 16, pfn, 3, 0, 0), 0);
	CHECK(vt_open(&t, 1, 16, 2, 0) != 0);			/* 3 pages: no 2 + 2 */
	CHECK_EQ(ring_gpadl(&t, 1, 13, RING_BASE, 4), 0);
	CHECK(vt_open(&t, 1, 13, 1, 0) != 0);			/* G->H ring of 1 page */
	CHECK(vt_open(&t, 1, 13, 3, 0) != 0);			/* H->G ring of 1 page */
	CHECK(vt_open(&t, 1, 13, 2, 2) != 0);			/* VP 2 of 2 */
	ctl = t.ram + (RING_BASE + 3) * HV_PAGE_SIZE;		/* first listed: G->H control */
	ctl[4] = 4;						/* read_index 4 */
	CHECK(vt_open(&t, 1, 13, 2, 0) != 0);
	ctl[4] = 0;
	partial_gpadl(&t, 1, 14, 40);
	CHECK(vt_open(&t, 1, 14, 2, 0) != 0);			/* GPADL being built */
	CHECK_EQ(vt_chan_key(&t, 1, "opens"), 0);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_OPEN_FAILED), 11);
	CHECK_EQ(vt_open(&t, 1, 13, 2, VMBUS_TARGET_VP_NONE), 0);
	CHECK(!strncmp(vt_chan(&t, 1), "state=open target_vp=4294967295 ", 32));
	CHECK_EQ(vt_chan_key(&t, 1, "opens"), 1);
	CHECK_EQ(le32toh(((struct vmbus_ring_ctl *)(t.ram + (RING_BASE + 1) * HV_PAGE_SIZE))
			 ->feature_bits), VMBUS_RING_FEAT_PENDING_SEND_SZ);	/* H->G control */
	CHECK(vt_open(&t, 1, 13, 2, 0) != 0);			/* already open */
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_OPENS), 1);
	vt_close(&t, 1);
	CHECK(chan_state_is(&t, 1, "offered"));
	CHECK_EQ(vt_chan_key(&t, 1, "closes"), 1);
	vt_close(&t, 1);					/* not open: protocol error */
	CHECK_EQ(vt_chan_key(&t, 1, "closes"), 1);
	CHECK_EQ(vt_open(&t, 1, 13, 2, 1), 0);			/* the rings again */
	CHECK(!strncmp(vt_chan(&t, 1), "state=open target_vp=1 ", 23));
	CHECK_EQ(vt_chan_key(&t, 1, "opens"), 2);
	CHECK_EQ(vt_chan_key(&t, 1, "gpadls"), 4);			/* 11, 12, 13, 16 */
	vt_fini(&t);
}

static void chan_gpadl_pinned(void)
{
	struct tp t;

	setup(&t, 1, 1, VMBUS_VERSION_IRON);
	CHECK_EQ(ring_gpadl(&t, 1, 5, RING_BASE, 8), 0);
	CHECK_EQ(vt_open(&t, 1, 5, 4, 0), 0);
	CHECK_EQ(vt_teardown(&t, 1, 5), 0);			/* refused, no answer */
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), 1);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-gpadls", 0), "count=1 pages=8"));
	vt_close(&t, 1);
	CHECK_EQ(vt_teardown(&t, 1, 5), 1);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-gpadls", 0), "count=0 pages=0"));
	vt_fini(&t);
}

static void chan_rescind_open(void)
{
	struct hv_message m;
	struct tp t;

	setup(&t, 1, 2, VMBUS_VERSION_IRON);
	CHECK_EQ(ring_gpadl(&t, 1, 5, RING_BASE, 4), 0);
	CHECK_EQ(vt_open(&t, 1, 5, 2, 0), 0);
	CHECK(t.p.vmbus->dev[0].chan.running);
	vt_ctl_answer(&t, "vmbus-rescind 1", 0);
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_RESCIND_CHANNELOFFER);
	CHECK(!t.p.vmbus->dev[0].chan.running);			/* worker stopped at once */
	CHECK(chan_state_is(&t, 1, "rescinded"));
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 1);	/* still open: refused */
	CHECK(chan_state_is(&t, 1, "rescinded"));
	CHECK_EQ(vt_teardown(&t, 1, 5), 0);			/* still pinned */
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), 2);
	CHECK(vt_open(&t, 1, 5, 2, 0) != 0);			/* no reopening */
	vt_close(&t, 1);
	CHECK_EQ(vt_chan_key(&t, 1, "closes"), 1);
	CHECK(chan_state_is(&t, 1, "rescinded"));
	CHECK_EQ(vt_teardown(&t, 1, 5), 1);			/* answered normally */
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 1);
	CHECK(chan_state_is(&t, 1, "released"));
	CHECK_EQ(vt_chan_key(&t, 1, "opens"), 1);			/* counters kept */
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer echo", 0), "relid=1"));
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	CHECK(chan_state_is(&t, 1, "offered"));
	CHECK_EQ(vt_chan_key(&t, 1, "opens"), 0);			/* a new device */
	/* Rescind of an offered channel that was never opened. */
	vt_ctl_answer(&t, "vmbus-rescind 2", 0);
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_RESCIND_CHANNELOFFER);
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 2);
	CHECK(chan_state_is(&t, 2, "released"));
	vt_ctl_answer(&t, "vmbus-chan 3", -1);
	vt_ctl_answer(&t, "vmbus-chan x", -1);
	vt_fini(&t);
}

static void chan_reset_closes(void)
{
	struct hv_message m;
	struct tp t;

	setup(&t, 1, 2, VMBUS_VERSION_IRON);
	CHECK_EQ(ring_gpadl(&t, 1, 5, RING_BASE, 4), 0);
	CHECK_EQ(ring_gpadl(&t, 2, 6, RING_BASE + 4, 4), 0);
	CHECK_EQ(vt_open(&t, 1, 5, 2, 0), 0);
	CHECK_EQ(vt_open(&t, 2, 6, 2, 0), 0);
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_UNLOAD), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_UNLOAD_RESPONSE);
	CHECK(chan_state_is(&t, 1, "offered"));
	CHECK(chan_state_is(&t, 2, "offered"));
	CHECK_EQ(vt_chan_key(&t, 2, "closes"), 1);
	CHECK_EQ(vt_chan_key(&t, 2, "gpadls"), 0);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_CLOSES), 2);
	/* A new INITIATE_CONTACT closes too. */
	vt_connect(&t, 2);
	CHECK_EQ(ring_gpadl(&t, 1, 5, RING_BASE, 4), 0);
	CHECK_EQ(vt_open(&t, 1, 5, 2, 0), 0);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 0, 0, NULL), 1);
	CHECK(chan_state_is(&t, 1, "offered"));
	CHECK_EQ(vt_chan_key(&t, 1, "closes"), 2);
	vt_fini(&t);
}

static void modify(struct tp *t, uint32_t relid, uint32_t vp)
{
	struct vmbus_chanmsg_modifychannel m = {
		.hdr.msgtype = htole32(VMBUS_CHANMSG_MODIFYCHANNEL),
		.child_relid = htole32(relid),
		.target_vp = htole32(vp),
	};

	CHECK_EQ(vt_post(t, 1, &m, sizeof(m)), HV_STATUS_SUCCESS);
}

/* The MODIFYCHANNEL_RESPONSE for @relid: its status; -1 if none came. */
static long modify_response(struct tp *t, uint32_t relid)
{
	const struct vmbus_chanmsg_modifychannel_response *r;
	struct hv_message m;
	int type = vt_recv(t, 0, &m);

	if (type < 0)
		return -1;
	CHECK_EQ(type, VMBUS_CHANMSG_MODIFYCHANNEL_RESPONSE);
	CHECK_EQ(m.header.payload_size, sizeof(*r));
	r = (const void *)m.payload;
	CHECK_EQ(le32toh(r->child_relid), relid);
	return le32toh(r->status);
}

/* A MODIFYCHANNEL that must fail: a non-zero status if the version answers. */
static void bad_modify(struct tp *t, uint32_t relid, uint32_t vp, bool answers)
{
	long st;

	modify(t, relid, vp);
	st = modify_response(t, relid);
	if (answers)
		CHECK(st > 0);
	else
		CHECK_EQ(st, -1);
}

static void modify_at(uint32_t version, bool answers, bool applies)
{
	struct tp t;

	setup(&t, 2, 2, version);
	CHECK_EQ(ring_gpadl(&t, 1, 5, RING_BASE, 4), 0);
	CHECK_EQ(vt_open(&t, 1, 5, 2, 0), 0);
	modify(&t, 1, 1);
	CHECK_EQ(modify_response(&t, 1), answers ? 0 : -1);
	CHECK_EQ(vt_chan_key(&t, 1, "target_vp"), applies ? 1 : 0);
	CHECK_EQ(vt_chan_key(&t, 1, "modifies"), applies);
	bad_modify(&t, 1, 2, answers);				/* no VP 2 */
	bad_modify(&t, 1, VMBUS_TARGET_VP_NONE, answers);
	bad_modify(&t, 2, 0, answers);				/* not open */
	bad_modify(&t, 999, 0, answers);
	CHECK_EQ(vt_chan_key(&t, 1, "target_vp"), applies ? 1 : 0);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), applies ? 4 : 5);
	vt_fini(&t);
}

static void chan_modify_versions(void)
{
	modify_at(VMBUS_VERSION_WIN10, false, false);	/* 4.0: no MODIFYCHANNEL */
	modify_at(VMBUS_VERSION_WIN10_RS3, false, true);	/* 4.1 */
	modify_at(VMBUS_VERSION_WIN10_RS5, false, true);	/* 5.2 */
	modify_at(VMBUS_VERSION_IRON, true, true);		/* 5.3 answers */
}

static void chan_signal_conn(void)
{
	struct tp t;

	setup(&t, 1, 2, VMBUS_VERSION_IRON);
	CHECK_EQ(vt_signal(&t, 0x2001), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_signal(&t, 0x2002), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_signal(&t, 0x2002), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_chan_key(&t, 1, "signals_in"), 1);
	CHECK_EQ(vt_chan_key(&t, 2, "signals_in"), 2);
	CHECK_EQ(vt_signal(&t, 0x2000), HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(vt_signal(&t, 0x2000 + HVH_SRV_MAX_CHANNELS + 1),
		 HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(vt_signal(&t, 0x2000 + HVH_SRV_MAX_CHANNELS), HV_STATUS_SUCCESS);
	vt_fini(&t);
}

/* 100 offers and ALLOFFERS_DELIVERED through a 64-deep SINT queue, in order. */
static void outbox_100_offers(void)
{
	const struct vmbus_chanmsg_offer *o;
	struct hv_message m;
	uint32_t relid;
	struct tp t;

	vt_init_echo(&t, 1, 100);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 0, 0, NULL), 1);
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_REQUESTOFFERS), HV_STATUS_SUCCESS);
	CHECK_EQ(synic_queued(&t.p, 0, VMBUS_MESSAGE_SINT), SYNIC_QUEUE_LEN);
	CHECK_EQ(t.p.vmbus->out_count, 101 - 1 - SYNIC_QUEUE_LEN);	/* one in the slot */
	for (relid = 1; relid <= 100; relid++) {
		CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);	/* EOMs */
		o = (const void *)m.payload;
		CHECK_EQ(le32toh(o->child_relid), relid);
	}
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_ALLOFFERS_DELIVERED);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(t.p.vmbus->out_count, 0);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_OUTBOX_DEFERRED), 101 - 1 - SYNIC_QUEUE_LEN);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_SENT), 102);	/* + VERSION_RESPONSE */
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_SEND_FAILED), 0);
	CHECK_EQ(stat_get(&t.p.stats, STAT_MESSAGES_DROPPED), 0);
	/* A hot-added device after them still comes, and a reset empties the outbox. */
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer echo", 0), "relid=101"));
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	vt_fini(&t);
}

static void outbox_128_devices(void)
{
	struct hvh_config c;
	struct tp t;

	hvh_config_default(&c);
	c.echo = HVH_SRV_MAX_DEVICES;
	vt_init(&t, 1, &c);
	vt_connect(&t, HVH_SRV_MAX_DEVICES);
	vt_ctl_answer(&t, "vmbus-offer echo", -1);		/* full */
	CHECK(strstr(vt_state(&t), " offers=128 "));
	vt_fini(&t);
	c.echo = HVH_SRV_MAX_DEVICES + 1;
	tp_init(&t, 1);
	CHECK(hvh_srv_create(&t.p, &c) < 0);
	tp_destroy(&t);
}

const struct unit_test hvh_chan_tests[] = {
	{ "chan_open_validation", chan_open_validation },
	{ "chan_gpadl_pinned", chan_gpadl_pinned },
	{ "chan_rescind_open", chan_rescind_open },
	{ "chan_reset_closes", chan_reset_closes },
	{ "chan_modify_versions", chan_modify_versions },
	{ "chan_signal_conn", chan_signal_conn },
	{ "outbox_100_offers", outbox_100_offers },
	{ "outbox_128_devices", outbox_128_devices },
	{ NULL, NULL },
};
