// SPDX-License-Identifier: GPL-2.0
/*
 * Subchannels: the echo device's SUBCHANNELS request (offers, indices,
 * clamping, refusals), echo on a subchannel, `vmbus-offer-sub`, rescind
 * order, relid release, connection reset, the 256-relid space.
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "../stats.h"
#include "test_vmbus.h"

#define RING(n)		(0x40 + 4 * (uint64_t)(n))	/* 4 ring pages per channel */

/* A server with @echo devices of at most @max_sub subchannels, connected at 5.3. */
static void setup(struct tp *t, unsigned int echo, unsigned int max_sub)
{
	struct hvh_config c;

	hvh_config_default(&c);
	c.echo = echo;
	c.echo_sub = max_sub;
	vt_init(t, 1, &c);
	vt_connect(t, echo);
}

/* The next message must be OFFERCHANNEL; returns a copy. */
static struct vmbus_chanmsg_offer recv_offer(struct tp *t)
{
	struct vmbus_chanmsg_offer o;
	struct hv_message m;

	CHECK_EQ(vt_recv(t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	CHECK_EQ(m.header.payload_size, sizeof(o));
	memcpy(&o, m.payload, sizeof(o));
	return o;
}

/* The next offer must be subchannel @idx of @primary on @relid. */
static void expect_sub_offer(struct tp *t, uint32_t relid, uint16_t idx, uint32_t primary)
{
	static const struct hv_guid echo = VMBUS_CLASS_HVSTACK_ECHO;
	struct vmbus_chanmsg_offer o = recv_offer(t);

	CHECK_EQ(le32toh(o.child_relid), relid);
	CHECK_EQ(le16toh(o.sub_channel_index), idx);
	CHECK(!memcmp(&o.if_type, &echo, sizeof(echo)));
	CHECK_EQ(o.if_instance.b[0], primary - 1);	/* echo device index = relid - 1 here */
	CHECK_EQ(le32toh(o.connection_id), 0x2000 + relid);
	CHECK_EQ(o.monitor_id, VMBUS_MONITOR_ID_NONE);
	CHECK_EQ(o.monitor_flags, 0);
	CHECK_EQ(le16toh(o.interrupt_flags), VMBUS_OFFER_DEDICATED_INTERRUPT);
}

/* The next message must be RESCIND_CHANNELOFFER of @relid. */
static void expect_rescind(struct tp *t, uint32_t relid)
{
	struct hv_message m;

	CHECK_EQ(vt_recv(t, 0, &m), VMBUS_CHANMSG_RESCIND_CHANNELOFFER);
	CHECK_EQ(le32toh(((struct vmbus_chanmsg_relid *)m.payload)->child_relid), relid);
}

static long long state_key(struct tp *t, const char *key)
{
	return vt_key(vt_state(t), key);
}

static void sub_request_offers(void)
{
	struct hvecho_hdr h;
	struct hv_message m;
	struct vchan c;
	struct tp t;
	char want[64];

	setup(&t, 2, 4);
	vchan_open(&c, &t, 1, RING(0), 4, 2);
	vchan_req(&c, VMBUS_PKT_FLAG_COMPLETION, 0x51, HVECHO_OP_SUBCHANNELS, 0, 3, NULL);
	h = vchan_answer(&c, VMBUS_PKT_COMP, 0x51);
	CHECK_EQ(le32toh(h.op), HVECHO_OP_SUBCHANNELS);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_OK);
	CHECK_EQ(le64toh(h.arg), 3);
	CHECK_EQ(le32toh(h.len), 4);
	/* Queued before the answer was written: relids 3, 4, 5 (2 is a device). */
	expect_sub_offer(&t, 3, 1, 1);
	expect_sub_offer(&t, 4, 2, 1);
	expect_sub_offer(&t, 5, 3, 1);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(state_key(&t, "offers"), 2);
	CHECK_EQ(state_key(&t, "subchannels"), 3);
	CHECK(strstr(vt_chan(&t, 4), " primary=1 sub_index=2 monitor_id=255 mnf_signals=0"));
	CHECK(strstr(vt_chan(&t, 1), " primary=1 sub_index=0 monitor_id=255 mnf_signals=0"));
	CHECK(!strncmp(vt_chan(&t, 3), "state=offered target_vp=4294967295 signals_in=0 ", 48));
	/* Inband: the answer is inband; clamped at the maximum. */
	vchan_req(&c, 0, 0x52, HVECHO_OP_SUBCHANNELS, 0, 10, NULL);
	h = vchan_answer(&c, VMBUS_PKT_DATA_INBAND, 0x52);
	CHECK_EQ(le64toh(h.arg), 4);
	CHECK_EQ(le32toh(h.len), 4);
	expect_sub_offer(&t, 6, 4, 1);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	/* Fewer than there are: nothing offered, nothing taken away. */
	vchan_req(&c, VMBUS_PKT_FLAG_COMPLETION, 0x53, HVECHO_OP_SUBCHANNELS, 0, 1, NULL);
	CHECK_EQ(le64toh(vchan_answer(&c, VMBUS_PKT_COMP, 0x53).arg), 4);
	vchan_req(&c, VMBUS_PKT_FLAG_COMPLETION, 0x54, HVECHO_OP_SUBCHANNELS, 0, ~0ULL, NULL);
	CHECK_EQ(le64toh(vchan_answer(&c, VMBUS_PKT_COMP, 0x54).arg), 4);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	snprintf(want, sizeof(want), " offers=2 requested=1 gpadls=1 subchannels=4");
	CHECK(strstr(vt_state(&t), want));
	vt_fini(&t);
}

static void sub_unsupported(void)
{
	struct vchan c, sc;
	struct hvecho_hdr h;
	struct tp t;

	setup(&t, 1, 0);		/* maximum 0 */
	vchan_open(&c, &t, 1, RING(0), 4, 2);
	vchan_req(&c, VMBUS_PKT_FLAG_COMPLETION, 1, HVECHO_OP_SUBCHANNELS, 0, 2, NULL);
	h = vchan_answer(&c, VMBUS_PKT_COMP, 1);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_UNSUPPORTED);
	CHECK_EQ(le32toh(h.len), 0);
	CHECK_EQ(state_key(&t, "subchannels"), 0);
	vt_fini(&t);

	setup(&t, 1, 2);
	vchan_open(&c, &t, 1, RING(0), 4, 2);
	vchan_req(&c, VMBUS_PKT_FLAG_COMPLETION, 2, HVECHO_OP_SUBCHANNELS, 0, 1, NULL);
	CHECK_EQ(le64toh(vchan_answer(&c, VMBUS_PKT_COMP, 2).arg), 1);
	expect_sub_offer(&t, 2, 1, 1);
	vchan_open(&sc, &t, 2, RING(1), 4, 2);
	vchan_req(&sc, 0, 3, HVECHO_OP_SUBCHANNELS, 0, 2, NULL);	/* on a subchannel */
	h = vchan_answer(&sc, VMBUS_PKT_DATA_INBAND, 3);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_UNSUPPORTED);
	CHECK_EQ(state_key(&t, "subchannels"), 1);
	vt_fini(&t);
}

/* Echo on an open subchannel: its own rings, worker and counters. */
static void sub_echo(void)
{
	static const char msg[] = "through a subchannel";
	struct vchan c, sc;
	struct hvecho_hdr h;
	struct tp t;

	setup(&t, 1, 2);
	vchan_open(&c, &t, 1, RING(0), 4, 2);
	vchan_req(&c, VMBUS_PKT_FLAG_COMPLETION, 1, HVECHO_OP_SUBCHANNELS, 0, 2, NULL);
	vchan_answer(&c, VMBUS_PKT_COMP, 1);
	expect_sub_offer(&t, 2, 1, 1);
	expect_sub_offer(&t, 3, 2, 1);
	vchan_open(&sc, &t, 3, RING(1), 4, 2);
	vchan_req(&sc, VMBUS_PKT_FLAG_COMPLETION, 7, HVECHO_OP_ECHO, sizeof(msg), 9, msg);
	h = vchan_answer(&sc, VMBUS_PKT_COMP, 7);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_OK);
	CHECK_EQ(le32toh(h.len), sizeof(msg));
	CHECK(!memcmp(sc.buf + 16 + 24, msg, sizeof(msg)));
	CHECK_EQ(vt_chan_key(&t, 3, "pkts_in"), 1);
	CHECK_EQ(vt_chan_key(&t, 1, "pkts_in"), 1);	/* only the SUBCHANNELS request */
	CHECK_EQ(vt_chan_key(&t, 2, "pkts_in"), 0);
	CHECK(!strncmp(vt_chan(&t, 3), "state=open target_vp=0 ", 23));
	/* The primary still echoes, and closing the subchannel leaves it alone. */
	vt_close(&t, 3);
	vchan_req(&c, 0, 8, HVECHO_OP_ECHO, 2, 0, "ok");
	CHECK_EQ(le32toh(vchan_answer(&c, VMBUS_PKT_DATA_INBAND, 8).status), HVECHO_ST_OK);
	CHECK(!strncmp(vt_chan(&t, 3), "state=offered ", 14));
	vt_fini(&t);
}

static void sub_ctl_offer(void)
{
	struct hvh_config c;
	struct hv_message m;
	struct tp t;

	hvh_config_default(&c);
	c.echo = 1;
	c.echo_sub = 3;
	c.nr_file = 1;			/* relid 2: no subchannels */
	vt_init(&t, 1, &c);
	vt_ctl_answer(&t, "vmbus-offer-sub 1", -1);		/* not offered yet */
	vt_connect(&t, 2);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1 2", 0), "relids=3,4"));
	expect_sub_offer(&t, 3, 1, 1);
	expect_sub_offer(&t, 4, 2, 1);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1", 0), "relids=5"));
	expect_sub_offer(&t, 5, 3, 1);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1 1", -1),
		      "error: relid 1 has 3 of at most 3 subchannels: 1 more is too many"));
	CHECK(strstr(vt_ctl_answer(&t, "vmbus-offer-sub 2", -1), " has 0 of at most 0 "));
	vt_ctl_answer(&t, "vmbus-offer-sub 3", -1);		/* a subchannel */
	vt_ctl_answer(&t, "vmbus-offer-sub 9", -1);
	vt_ctl_answer(&t, "vmbus-offer-sub 1 0", -1);
	vt_ctl_answer(&t, "vmbus-offer-sub 1 65", -1);
	vt_ctl_answer(&t, "vmbus-offer-sub 1 x", -1);
	vt_ctl_answer(&t, "vmbus-offer-sub", -1);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(state_key(&t, "subchannels"), 3);
	vt_fini(&t);
}

/* Rescind of a primary: its subchannels first, in index order, then itself. */
static void sub_rescind_order(void)
{
	struct tp t;

	setup(&t, 2, 4);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1 3", 0), "relids=3,4,5"));
	expect_sub_offer(&t, 3, 1, 1);
	expect_sub_offer(&t, 4, 2, 1);
	expect_sub_offer(&t, 5, 3, 1);
	/* One subchannel alone: only that one. */
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-rescind 3", 0), "ok"));
	expect_rescind(&t, 3);
	CHECK_EQ(vt_recv(&t, 0, &(struct hv_message){ 0 }), -1);
	CHECK(!strncmp(vt_chan(&t, 3), "state=rescinded ", 16));
	CHECK_EQ(state_key(&t, "subchannels"), 3);		/* until released */
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 3);
	CHECK_EQ(state_key(&t, "subchannels"), 2);
	/* Relid 3 is reused, with the index after the highest (3): 4. */
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1", 0), "relids=3"));
	expect_sub_offer(&t, 3, 4, 1);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-rescind 1", 0), "ok"));
	expect_rescind(&t, 4);		/* index 2 */
	expect_rescind(&t, 5);		/* index 3 */
	expect_rescind(&t, 3);		/* index 4 */
	expect_rescind(&t, 1);
	CHECK_EQ(vt_recv(&t, 0, &(struct hv_message){ 0 }), -1);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-rescind 4", -1),
		      "error: relid 4 is not an offered device"));
	CHECK(!strncmp(vt_chan(&t, 2), "state=offered ", 14));	/* the other device */
	vt_fini(&t);
}

/* RELID_RELEASED of a subchannel frees its slot; refused while it is open. */
static void sub_release(void)
{
	struct hv_stats *st;
	struct vchan sc;
	struct tp t;

	setup(&t, 1, 2);
	st = &t.p.stats;
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1 2", 0), "relids=2,3"));
	expect_sub_offer(&t, 2, 1, 1);
	expect_sub_offer(&t, 3, 2, 1);
	vchan_open(&sc, &t, 3, RING(1), 4, 2);
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 3);		/* open */
	CHECK_EQ(stat_get(st, STAT_VMBUS_PROTOCOL_ERRORS), 1);
	CHECK_EQ(state_key(&t, "subchannels"), 2);
	/* Without a rescind: the guest could not use it. */
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 2);
	CHECK_EQ(stat_get(st, STAT_VMBUS_RELIDS_RELEASED), 1);
	CHECK_EQ(state_key(&t, "subchannels"), 1);
	CHECK(!strncmp(vt_chan(&t, 2), "state=released ", 15));
	CHECK(strstr(vt_chan(&t, 2), " primary=1 sub_index=1 "));
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 2);		/* again */
	CHECK_EQ(stat_get(st, STAT_VMBUS_PROTOCOL_ERRORS), 2);
	/* Closed, its GPADL left behind: released, the GPADL goes with it. */
	vt_close(&t, 3);
	CHECK(strstr(vt_chan(&t, 3), " gpadls=1 "));
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 3);
	CHECK_EQ(stat_get(st, STAT_VMBUS_RELIDS_RELEASED), 2);
	CHECK(strstr(vt_chan(&t, 3), " gpadls=0 "));
	CHECK_EQ(state_key(&t, "subchannels"), 0);
	/* Both slots free: new subchannels take them, indices from 1 again. */
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1 2", 0), "relids=2,3"));
	expect_sub_offer(&t, 2, 1, 1);
	expect_sub_offer(&t, 3, 2, 1);
	CHECK_EQ(vt_chan_key(&t, 3, "opens"), 0);			/* a new channel */
	vt_fini(&t);
}

/* UNLOAD and a new contact drop subchannels; only primaries come back. */
static void sub_reset(void)
{
	struct hv_message m;
	struct vchan c, sc;
	struct tp t;

	setup(&t, 2, 4);
	vchan_open(&c, &t, 1, RING(0), 4, 2);
	vchan_req(&c, VMBUS_PKT_FLAG_COMPLETION, 1, HVECHO_OP_SUBCHANNELS, 0, 2, NULL);
	vchan_answer(&c, VMBUS_PKT_COMP, 1);
	expect_sub_offer(&t, 3, 1, 1);
	expect_sub_offer(&t, 4, 2, 1);
	vchan_open(&sc, &t, 4, RING(1), 4, 2);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-rescind 3", 0), "ok"));
	expect_rescind(&t, 3);
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_UNLOAD), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_UNLOAD_RESPONSE);
	CHECK(strstr(vt_state(&t), " offers=2 requested=0 gpadls=0 subchannels=0"));
	CHECK(!strncmp(vt_chan(&t, 4), "state=released ", 15));
	vt_connect(&t, 2);				/* the two primaries only */
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer echo", 0), "relid=3"));
	CHECK_EQ(le32toh(recv_offer(&t).child_relid), 3);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 2", 0), "relids=4"));
	expect_sub_offer(&t, 4, 1, 2);
	/* A new INITIATE_CONTACT resets the same way. */
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 0, 0, NULL), 1);
	CHECK(strstr(vt_state(&t), " offers=3 requested=0 gpadls=0 subchannels=0"));
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_REQUESTOFFERS), HV_STATUS_SUCCESS);
	CHECK_EQ(le32toh(recv_offer(&t).child_relid), 1);
	CHECK_EQ(le32toh(recv_offer(&t).child_relid), 2);
	CHECK_EQ(le32toh(recv_offer(&t).child_relid), 3);
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_ALLOFFERS_DELIVERED);
	vt_fini(&t);
}

/* 128 devices and 128 subchannels fill relids 1..256. */
static void sub_relid_space(void)
{
	struct hv_message m;
	struct tp t;

	setup(&t, HVH_SRV_MAX_DEVICES, HVH_SRV_MAX_SUB);
	CHECK(!strncmp(vt_ctl_answer(&t, "vmbus-offer-sub 1 64", 0), "relids=129,130,", 15));
	CHECK(strstr(vt_ctl_answer(&t, "vmbus-offer-sub 2 64", 0), ",255,256"));
	while (vt_recv(&t, 0, &m) == VMBUS_CHANMSG_OFFERCHANNEL)
		;
	CHECK(strstr(vt_state(&t), " offers=128 requested=1 gpadls=0 subchannels=128"));
	CHECK(strstr(vt_ctl_answer(&t, "vmbus-offer-sub 3", -1), "not enough free relids"));
	CHECK(strstr(vt_ctl_answer(&t, "vmbus-offer echo", -1), "no free relid"));
	CHECK(strstr(vt_chan(&t, 256), " primary=2 sub_index=64 "));
	CHECK_EQ(vt_signal(&t, HVH_SRV_CHANNEL_CONN(256)), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_chan_key(&t, 256, "signals_in"), 1);
	/* A rescinded primary frees one device place, but no relid yet. */
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-rescind 5", 0), "ok"));
	CHECK(strstr(vt_ctl_answer(&t, "vmbus-offer echo", -1), "no free relid"));
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 5);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer echo", 0), "relid=5"));
	vt_fini(&t);
}

const struct unit_test hvh_sub_tests[] = {
	{ "sub_request_offers", sub_request_offers },
	{ "sub_unsupported", sub_unsupported },
	{ "sub_echo", sub_echo },
	{ "sub_ctl_offer", sub_ctl_offer },
	{ "sub_rescind_order", sub_rescind_order },
	{ "sub_release", sub_release },
	{ "sub_reset", sub_reset },
	{ "sub_relid_space", sub_relid_space },
	{ NULL, NULL },
};
