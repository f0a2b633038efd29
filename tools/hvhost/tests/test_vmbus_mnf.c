// SPDX-License-Identifier: GPL-2.0
/*
 * Monitored notification: monitored offers and the monitor page entries
 * hvhost writes, unmonitored offers without monitor pages, the poller
 * turning a pending bit into a served request (mnf_signals, not
 * signals_in), spurious bits, no polling while nothing monitored is open,
 * the monitor id pool.
 */
#include <endian.h>
#include <string.h>

#include "../stats.h"
#include "test_vmbus.h"

#define MON1		0x20000		/* the pages vt_connect() gives */
#define MON2		0x21000
#define RING(n)		(0x40 + 4 * (uint64_t)(n))

static struct vmbus_monitor_page *mon(struct tp *t)
{
	return (struct vmbus_monitor_page *)(t->ram + MON2);
}

/* @echo monitored devices with at most @max_sub subchannels; not connected. */
static void mnf_init(struct tp *t, unsigned int echo, unsigned int max_sub)
{
	struct hvh_config c;

	hvh_config_default(&c);
	c.echo = echo;
	c.echo_sub = max_sub;
	c.mnf = true;
	vt_init(t, 1, &c);
}

/* INITIATE_CONTACT 5.3 with monitor pages @m1, @m2, then REQUESTOFFERS. */
static void contact_pages(struct tp *t, uint64_t m1, uint64_t m2)
{
	struct vmbus_chanmsg_initiate_contact c;
	struct hv_message m;

	memset(&c, 0, sizeof(c));
	c.hdr.msgtype = htole32(VMBUS_CHANMSG_INITIATE_CONTACT);
	c.version = htole32(VMBUS_VERSION_IRON);
	c.msg_sint = VMBUS_MESSAGE_SINT;
	c.monitor_page1 = htole64(m1);
	c.monitor_page2 = htole64(m2);
	CHECK_EQ(vt_post(t, VMBUS_MESSAGE_CONNECTION_ID_4, &c, sizeof(c)), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(t, 0, &m), VMBUS_CHANMSG_VERSION_RESPONSE);
	CHECK_EQ(((struct vmbus_chanmsg_version_response *)m.payload)->version_supported, 1);
	CHECK_EQ(vt_post_hdr(t, VMBUS_CHANMSG_REQUESTOFFERS), HV_STATUS_SUCCESS);
}

/* The next message: an offer of @relid; returns its monitor id (checking its flags). */
static unsigned int offer_monitor(struct tp *t, uint32_t relid)
{
	const struct vmbus_chanmsg_offer *o;
	struct hv_message m;

	CHECK_EQ(vt_recv(t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	o = (const void *)m.payload;
	CHECK_EQ(le32toh(o->child_relid), relid);
	CHECK_EQ(o->monitor_flags, o->monitor_id == VMBUS_MONITOR_ID_NONE ? 0 :
		 VMBUS_OFFER_MONITOR_ALLOCATED);
	return o->monitor_id;
}

static void expect_alloffers(struct tp *t)
{
	struct hv_message m;

	CHECK_EQ(vt_recv(t, 0, &m), VMBUS_CHANMSG_ALLOFFERS_DELIVERED);
	CHECK_EQ(vt_recv(t, 0, &m), -1);
}

static uint32_t pending(struct tp *t, unsigned int group)
{
	return le32toh(__atomic_load_n(&mon(t)->trigger_group[group].pending, __ATOMIC_SEQ_CST));
}

/* The guest signals monitor id @id. */
static void set_pending(struct tp *t, unsigned int id)
{
	__atomic_fetch_or(&mon(t)->trigger_group[id / 32].pending, htole32(1U << (id % 32)),
			  __ATOMIC_SEQ_CST);
}

/* Wait (5 s at most) for stat @id to reach @want. */
static void wait_stat(struct tp *t, enum stat_id id, uint64_t want)
{
	unsigned int i;

	for (i = 0; i < VCHAN_WAIT_MS && stat_get(&t->p.stats, id) < want; i++)
		vt_sleep_ms(1);
	CHECK_EQ(stat_get(&t->p.stats, id), want);
}

static void check_entry(struct tp *t, unsigned int id, uint32_t relid, uint16_t latency)
{
	const struct vmbus_monitor_param *par = &mon(t)->parameter[id / 32][id % 32];

	CHECK_EQ(le16toh(mon(t)->latency[id / 32][id % 32]), latency);
	CHECK_EQ(le32toh(par->connection_id), HVH_SRV_CHANNEL_CONN(relid));
	CHECK_EQ(le16toh(par->flag_number), 0);
	CHECK(le32toh(mon(t)->trigger_state) & (1U << (id / 32)));
}

static void mnf_offer_fields(void)
{
	struct hvh_config c;
	struct tp t;

	hvh_config_default(&c);
	c.echo = 2;
	c.echo_sub = 2;
	c.mnf = true;
	c.nr_file = 1;					/* relid 3: not monitored */
	vt_init(&t, 1, &c);
	contact_pages(&t, MON1, MON2);
	CHECK_EQ(offer_monitor(&t, 1), 0);
	CHECK_EQ(offer_monitor(&t, 2), 1);
	CHECK_EQ(offer_monitor(&t, 3), VMBUS_MONITOR_ID_NONE);
	expect_alloffers(&t);
	check_entry(&t, 0, 1, 1000);			/* 100 us in 100 ns units */
	check_entry(&t, 1, 2, 1000);
	CHECK_EQ(mon(&t)->latency[0][2], 0);
	CHECK_EQ(le32toh(mon(&t)->trigger_state), 1);
	CHECK_EQ(mon(&t)->trigger_group[0].pending, 0);
	CHECK(strstr(vt_chan(&t, 2), " monitor_id=1 mnf_signals=0"));
	CHECK(strstr(vt_chan(&t, 3), " monitor_id=255 mnf_signals=0"));
	/* Subchannels of a monitored device are monitored; so are hot-added devices. */
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1", 0), "relids=4"));
	CHECK_EQ(offer_monitor(&t, 4), 2);
	check_entry(&t, 2, 4, 1000);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer echo", 0), "relid=5"));
	CHECK_EQ(offer_monitor(&t, 5), 3);
	CHECK(strstr(vt_chan(&t, 4), " primary=1 sub_index=1 monitor_id=2 "));
	/* The monitor page is hvhost's now: no GPADL over it. */
	CHECK(vt_gpadl(&t, 1, 0x99, (const uint64_t[]){ MON2 >> 12 }, 1, 0, 0) != 0);
	vt_fini(&t);

	/* Latency: 7 us is 70; 10 ms does not fit 16 bits and is clamped. */
	c.nr_file = 0;
	c.echo = 1;
	c.mnf_latency_us = 7;
	vt_init(&t, 1, &c);
	vt_connect(&t, 1);
	CHECK_EQ(le16toh(mon(&t)->latency[0][0]), 70);
	vt_fini(&t);
	c.mnf_latency_us = 10000;
	vt_init(&t, 1, &c);
	vt_connect(&t, 1);
	CHECK_EQ(le16toh(mon(&t)->latency[0][0]), 0xffff);
	vt_fini(&t);
}

/* No monitor pages in INITIATE_CONTACT: offered unmonitored, nothing written. */
static void mnf_no_pages(void)
{
	struct tp t;

	mnf_init(&t, 2, 1);
	contact_pages(&t, 0, 0);
	CHECK_EQ(offer_monitor(&t, 1), VMBUS_MONITOR_ID_NONE);
	CHECK_EQ(offer_monitor(&t, 2), VMBUS_MONITOR_ID_NONE);
	expect_alloffers(&t);
	CHECK(strstr(vt_chan(&t, 1), " monitor_id=255 "));
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1", 0), "relids=3"));
	CHECK_EQ(offer_monitor(&t, 3), VMBUS_MONITOR_ID_NONE);
	CHECK_EQ(mon(&t)->latency[0][0], 0);
	CHECK_EQ(mon(&t)->trigger_state, 0);
	/* The next connection has them: monitored, with the ids the devices hold. */
	contact_pages(&t, MON1, MON2);
	CHECK_EQ(offer_monitor(&t, 1), 0);
	CHECK_EQ(offer_monitor(&t, 2), 1);
	expect_alloffers(&t);
	vt_fini(&t);
}

/* Wait until the host's worker waits with the guest -> host ring unmasked. */
static void wait_unmasked(struct vchan *c)
{
	unsigned int i;

	for (i = 0; i < VCHAN_WAIT_MS; i++) {
		if (!__atomic_load_n(&c->g2h.ctl->interrupt_mask, __ATOMIC_SEQ_CST))
			return;
		vt_sleep_ms(1);
	}
	unit_fail(__FILE__, __LINE__, "the host never unmasked its ring", 0, 0, false);
}

static void mnf_signal(void)
{
	struct hv_stats *st;
	struct hvecho_hdr h;
	struct vchan c;
	struct tp t;

	mnf_init(&t, 1, 0);
	st = &t.p.stats;
	vt_connect(&t, 1);
	vchan_open(&c, &t, 1, RING(0), 4, 2);
	wait_unmasked(&c);
	/* A request the host only learns about through the monitor page. */
	CHECK_EQ(vchan_put(&c, VMBUS_PKT_FLAG_COMPLETION, 0x31, HVECHO_OP_ECHO, 3, 0, "mnf"), 1);
	set_pending(&t, 0);
	h = vchan_answer(&c, VMBUS_PKT_COMP, 0x31);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_OK);
	CHECK(!memcmp(c.buf + 16 + 24, "mnf", 3));
	wait_stat(&t, STAT_VMBUS_MNF_SIGNALS, 1);
	CHECK_EQ(pending(&t, 0), 0);
	CHECK_EQ(vt_chan_key(&t, 1, "mnf_signals"), 1);
	CHECK_EQ(vt_chan_key(&t, 1, "signals_in"), 0);
	CHECK_EQ(stat_get(st, STAT_SIGNAL_EVENT), 0);
	/* HvCallSignalEvent still works on a monitored channel. */
	wait_unmasked(&c);
	CHECK_EQ(vchan_put(&c, 0, 0x32, HVECHO_OP_ECHO, 2, 0, "hc"), 1);
	CHECK_EQ(vt_signal(&t, HVH_SRV_CHANNEL_CONN(1)), HV_STATUS_SUCCESS);
	CHECK_EQ(le32toh(vchan_answer(&c, VMBUS_PKT_DATA_INBAND, 0x32).status), HVECHO_ST_OK);
	CHECK_EQ(vt_chan_key(&t, 1, "signals_in"), 1);
	CHECK_EQ(vt_chan_key(&t, 1, "mnf_signals"), 1);
	/* Bits of ids no open channel holds: cleared and counted. */
	set_pending(&t, 5);
	set_pending(&t, 100);
	wait_stat(&t, STAT_VMBUS_MNF_SPURIOUS, 2);
	CHECK_EQ(pending(&t, 0) | pending(&t, 3), 0);
	CHECK_EQ(stat_get(st, STAT_VMBUS_MNF_SIGNALS), 1);
	CHECK(strstr(vt_ctl_answer(&t, "stats", 0), "\nvmbus_mnf_signals=1\nvmbus_mnf_spurious=2\n"));
	vt_fini(&t);
}

/* Nothing monitored open: nobody looks at the page. */
static void mnf_idle(void)
{
	struct vchan c;
	struct tp t;

	mnf_init(&t, 2, 0);
	vt_connect(&t, 2);
	set_pending(&t, 0);
	vt_sleep_ms(20);
	CHECK_EQ(pending(&t, 0), 1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_MNF_SPURIOUS), 0);
	/* Open: the poller starts and takes the bit for the channel. */
	vchan_open(&c, &t, 1, RING(0), 4, 2);
	wait_stat(&t, STAT_VMBUS_MNF_SIGNALS, 1);
	CHECK_EQ(pending(&t, 0), 0);
	set_pending(&t, 1);				/* relid 2: not open */
	wait_stat(&t, STAT_VMBUS_MNF_SPURIOUS, 1);
	/* Closed again: the poller sleeps. */
	vt_close(&t, 1);
	set_pending(&t, 0);
	vt_sleep_ms(20);
	CHECK_EQ(pending(&t, 0), 1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_MNF_SIGNALS), 1);
	/* A reset forgets the page; the next connection's page is polled. */
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_UNLOAD), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &(struct hv_message){ 0 }), VMBUS_CHANMSG_UNLOAD_RESPONSE);
	vt_connect(&t, 2);
	vchan_open(&c, &t, 2, RING(1), 4, 2);
	wait_stat(&t, STAT_VMBUS_MNF_SPURIOUS, 2);	/* id 0's bit: relid 1 is closed */
	CHECK_EQ(pending(&t, 0), 0);
	vt_fini(&t);
}

/* 128 ids: the 129th channel is offered unmonitored; freed ids are reused. */
static void mnf_id_pool(void)
{
	struct hv_message m;
	unsigned int i;
	struct tp t;

	mnf_init(&t, HVH_SRV_MAX_DEVICES, 2);
	contact_pages(&t, MON1, MON2);
	for (i = 0; i < HVH_SRV_MAX_DEVICES; i++)
		CHECK_EQ(offer_monitor(&t, i + 1), i);
	expect_alloffers(&t);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1", 0), "relids=129"));
	CHECK_EQ(offer_monitor(&t, 129), VMBUS_MONITOR_ID_NONE);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-rescind 2", 0), "ok"));
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_RESCIND_CHANNELOFFER);
	vt_relid_msg(&t, VMBUS_CHANMSG_RELID_RELEASED, 2);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 3", 0), "relids=2"));
	CHECK_EQ(offer_monitor(&t, 2), 1);		/* relid 2's old id */
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 3", 0), "relids=130"));
	CHECK_EQ(offer_monitor(&t, 130), VMBUS_MONITOR_ID_NONE);
	/* A reset drops the subchannels and their ids: a new one gets id 1 again. */
	contact_pages(&t, MON1, MON2);
	for (i = 0; i < HVH_SRV_MAX_DEVICES - 1; i++)
		CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	expect_alloffers(&t);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 4", 0), "relids=2"));
	CHECK_EQ(offer_monitor(&t, 2), 1);
	vt_fini(&t);
}

const struct unit_test hvh_mnf_tests[] = {
	{ "mnf_offer_fields", mnf_offer_fields },
	{ "mnf_no_pages", mnf_no_pages },
	{ "mnf_signal", mnf_signal },
	{ "mnf_idle", mnf_idle },
	{ "mnf_id_pool", mnf_id_pool },
	{ NULL, NULL },
};
