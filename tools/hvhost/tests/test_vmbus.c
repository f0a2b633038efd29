// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus server: version negotiation, offers, malformed messages,
 * UNLOAD, hot-add, rescind, control commands.  The tests play the guest:
 * they post channel messages with HvCallPostMessage and read SINT 2.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ctl.h"
#include "../stats.h"
#include "../util.h"
#include "test_vmbus.h"

static char answer[512];

void vt_init(struct tp *t, unsigned int nr_vps, const struct hvh_config *c)
{
	struct hvh_config def;
	unsigned int i;

	hvh_config_default(&def);
	tp_init(t, nr_vps);
	for (i = 0; i < nr_vps; i++)
		tp_synic_on(t, i);
	CHECK_EQ(hvh_srv_create(&t->p, c ? c : &def), 0);
}

void vt_init_echo(struct tp *t, unsigned int nr_vps, unsigned int echo)
{
	struct hvh_config c;

	hvh_config_default(&c);
	c.echo = echo;
	vt_init(t, nr_vps, &c);
}

void vt_fini(struct tp *t)
{
	hvh_srv_destroy(&t->p);
	tp_destroy(t);
}

uint16_t vt_post(struct tp *t, uint32_t conn, const void *msg, uint32_t size)
{
	return tp_post(t, 0, conn, HVMSG_CHANNEL, msg, size);
}

uint16_t vt_post_hdr(struct tp *t, uint32_t type)
{
	struct vmbus_chanmsg_hdr h = { .msgtype = htole32(type) };

	return vt_post(t, VMBUS_MESSAGE_CONNECTION_ID, &h, sizeof(h));
}

int vt_recv(struct tp *t, unsigned int vp, struct hv_message *m)
{
	tp_consume(t, vp, HV_SINT_VMBUS, m);
	if (le32toh(m->header.message_type) == HVMSG_NONE)
		return -1;
	CHECK_EQ(le32toh(m->header.message_type), HVMSG_CHANNEL);
	CHECK(m->header.payload_size >= sizeof(struct vmbus_chanmsg_hdr));
	return (int)le32toh(((struct vmbus_chanmsg_hdr *)m->payload)->msgtype);
}

static uint16_t contact_post(struct tp *t, uint32_t conn, uint32_t version, uint32_t target,
			     uint8_t sint)
{
	struct vmbus_chanmsg_initiate_contact c;

	memset(&c, 0, sizeof(c));
	c.hdr.msgtype = htole32(VMBUS_CHANMSG_INITIATE_CONTACT);
	c.version = htole32(version);
	c.target_vcpu = htole32(target);
	if (version >= VMBUS_VERSION_WIN10_V5)
		c.msg_sint = sint;
	c.monitor_page1 = htole64(0x20000);
	c.monitor_page2 = htole64(0x21000);
	return vt_post(t, conn, &c, sizeof(c));
}

static int contact_response(struct tp *t, unsigned int vp, uint32_t *conn_id)
{
	const struct vmbus_chanmsg_version_response *r;
	struct hv_message m;

	CHECK_EQ(vt_recv(t, vp, &m), VMBUS_CHANMSG_VERSION_RESPONSE);
	CHECK_EQ(m.header.payload_size, sizeof(*r));
	r = (const void *)m.payload;
	CHECK_EQ(r->connection_state, 0);
	if (conn_id)
		*conn_id = le32toh(r->msg_conn_id);
	return r->version_supported;
}

int vt_contact(struct tp *t, uint32_t version, uint32_t target, unsigned int reply_vp,
	       uint32_t *conn_id)
{
	uint32_t conn = version >= VMBUS_VERSION_WIN10_V5 ? VMBUS_MESSAGE_CONNECTION_ID_4 :
		VMBUS_MESSAGE_CONNECTION_ID;

	CHECK_EQ(contact_post(t, conn, version, target, VMBUS_MESSAGE_SINT), HV_STATUS_SUCCESS);
	return contact_response(t, reply_vp, conn_id);
}

void vt_connect_at(struct tp *t, uint32_t version, unsigned int nr)
{
	struct hv_message m;
	unsigned int i;

	CHECK_EQ(vt_contact(t, version, 0, 0, NULL), 1);
	CHECK_EQ(vt_post_hdr(t, VMBUS_CHANMSG_REQUESTOFFERS), HV_STATUS_SUCCESS);
	for (i = 0; i < nr; i++)
		CHECK_EQ(vt_recv(t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	CHECK_EQ(vt_recv(t, 0, &m), VMBUS_CHANMSG_ALLOFFERS_DELIVERED);
	CHECK_EQ(vt_recv(t, 0, &m), -1);
}

void vt_connect(struct tp *t, unsigned int nr)
{
	vt_connect_at(t, VMBUS_VERSION_IRON, nr);
}

const char *vt_state(struct tp *t)
{
	CHECK_EQ(ctl_exec(&t->p, "vmbus-state", answer, sizeof(answer)), 0);
	return answer;
}

static void vt_ctl(struct tp *t, const char *cmd, int rc)
{
	CHECK_EQ(ctl_exec(&t->p, cmd, answer, sizeof(answer)), rc);
}

const char *vt_ctl_answer(struct tp *t, const char *cmd, int rc)
{
	vt_ctl(t, cmd, rc);
	return answer;
}

const char *vt_chan(struct tp *t, uint32_t relid)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "vmbus-chan %u", relid);
	return vt_ctl_answer(t, cmd, 0);
}

long long vt_chan_key(struct tp *t, uint32_t relid, const char *key)
{
	return vt_key(vt_chan(t, relid), key);
}

long long vt_key(const char *line, const char *key)
{
	size_t n = strlen(key);
	const char *p;

	for (p = line; (p = strstr(p, key)); p += n)
		if ((p == line || p[-1] == ' ') && p[n] == '=')
			return strtoll(p + n + 1, NULL, 10);
	return -1;
}

static void srv_each_version(void)
{
	struct hv_message m;
	unsigned int i;
	uint32_t v, id;
	char want[128];
	struct tp t;

	vt_init(&t, 1, NULL);
	for (i = 0; i < HVH_SRV_NR_VERSIONS; i++) {
		v = hvh_srv_versions[i];
		CHECK_EQ(vt_contact(&t, v, 0, 0, &id), 1);	/* reconnects each time */
		CHECK_EQ(id, v >= VMBUS_VERSION_WIN10_V5 ? VMBUS_MESSAGE_CONNECTION_ID : 0);
		snprintf(want, sizeof(want),
			 "version=0x%x connected=1 target_vp=0 offers=0 requested=0 gpadls=0 %s", v,
			 "subchannels=0");
		CHECK(!strcmp(vt_state(&t), want));
	}
	/* 0.13, 1.1, 6.0 and nonsense are not in this server's set. */
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_WS2008, 0, 0, NULL), 0);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_WIN7, 0, 0, NULL), 0);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_COPPER, 0, 0, NULL), 0);
	CHECK_EQ(vt_contact(&t, VMBUS_MAKE_VERSION(4, 7), 0, 0, NULL), 0);
	CHECK(!strncmp(vt_state(&t), "version=0x0 connected=0", 23));
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	vt_fini(&t);
}

static void srv_above_max(void)
{
	struct tp t;

	vt_init(&t, 1, NULL);
	vt_ctl(&t, "vmbus-max-version 5.0", 0);
	CHECK(!strcmp(answer, "ok"));
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 0, 0, NULL), 0);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_WIN10_RS4, 0, 0, NULL), 0);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_WIN10_V5, 0, 0, NULL), 1);
	vt_ctl(&t, "vmbus-max-version 5.3", 0);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 0, 0, NULL), 1);
	vt_ctl(&t, "vmbus-max-version 6.0", -1);
	vt_ctl(&t, "vmbus-max-version 5", -1);
	vt_ctl(&t, "vmbus-max-version 1.1", -1);
	vt_fini(&t);
}

static void srv_connection_4_rule(void)
{
	struct hv_message m;
	struct tp t;

	vt_init(&t, 1, NULL);
	/* >= 5.0 only on connection 4, older only on 1. */
	CHECK_EQ(contact_post(&t, 1, VMBUS_VERSION_WIN10_V5, 0, 2), HV_STATUS_SUCCESS);
	CHECK_EQ(contact_response(&t, 0, NULL), 0);
	CHECK_EQ(contact_post(&t, 4, VMBUS_VERSION_WIN10_RS3, 0, 2), HV_STATUS_SUCCESS);
	CHECK_EQ(contact_response(&t, 0, NULL), 0);
	/* A host whose maximum is below 5.0 has no connection 4 at all. */
	vt_ctl(&t, "vmbus-max-version 4.1", 0);
	CHECK_EQ(contact_post(&t, 4, VMBUS_VERSION_IRON, 0, 2), HV_STATUS_INVALID_CONNECTION_ID);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_WIN10_RS3, 0, 0, NULL), 1);
	vt_fini(&t);
}

static void srv_versions_none(void)
{
	struct hvh_config c;
	unsigned int i;
	struct tp t;

	hvh_config_default(&c);
	CHECK_EQ(hvh_parse_versions("none", &c.versions), 0);
	CHECK_EQ(c.versions, 0);
	vt_init(&t, 1, &c);
	for (i = 0; i < HVH_SRV_NR_VERSIONS; i++)
		CHECK_EQ(vt_contact(&t, hvh_srv_versions[i], 0, 0, NULL), 0);
	CHECK(!strncmp(vt_state(&t), "version=0x0 connected=0", 23));
	vt_fini(&t);
}

static void srv_parse(void)
{
	uint32_t v = 0, mask = 0;

	CHECK_EQ(hvh_parse_version("5.3", &v), 0);
	CHECK_EQ(v, 0x50003);
	CHECK_EQ(hvh_parse_version("2.4", &v), 0);
	CHECK_EQ(v, 0x20004);
	CHECK_EQ(hvh_parse_version("6.0", &v), -1);
	CHECK_EQ(hvh_parse_version("5.3x", &v), -1);
	CHECK_EQ(hvh_parse_version(".3", &v), -1);
	CHECK_EQ(hvh_parse_versions("all", &mask), 0);
	CHECK_EQ(mask, 0xff);
	CHECK_EQ(hvh_parse_versions("4.0,5.3", &mask), 0);
	CHECK_EQ(mask, 1U << 2 | 1U << 7);
	CHECK_EQ(hvh_parse_versions("4.0,", &mask), -1);
	CHECK_EQ(hvh_parse_versions("4.0,0.13", &mask), -1);
}

static void srv_target_vp(void)
{
	struct hv_message m;
	struct tp t;

	vt_init_echo(&t, 2, 1);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 1, 1, NULL), 1);
	CHECK(!strncmp(vt_state(&t), "version=0x50003 connected=1 target_vp=1 ", 40));
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_REQUESTOFFERS), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(vt_recv(&t, 1, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	CHECK_EQ(vt_recv(&t, 1, &m), VMBUS_CHANMSG_ALLOFFERS_DELIVERED);
	/* 3.0 honours the target, 2.4 always uses VP 0. */
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_WIN8_1, 1, 1, NULL), 1);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_WIN8, 1, 0, NULL), 1);
	CHECK(!strncmp(vt_state(&t), "version=0x20004 connected=1 target_vp=0 ", 40));
	/* A VP that does not exist: refused, answered on VP 0. */
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 2, 0, NULL), 0);
	vt_fini(&t);
}

static void srv_contact_fields(void)
{
	struct vmbus_chanmsg_initiate_contact c;
	struct tp t;

	vt_init(&t, 1, NULL);
	CHECK_EQ(contact_post(&t, 4, VMBUS_VERSION_WIN10_V5, 0, 5), HV_STATUS_SUCCESS);
	CHECK_EQ(contact_response(&t, 0, NULL), 0);		/* SINT 5 */
	memset(&c, 0, sizeof(c));
	c.hdr.msgtype = htole32(VMBUS_CHANMSG_INITIATE_CONTACT);
	c.version = htole32(VMBUS_VERSION_WIN10_RS4);
	c.msg_sint = 2;
	c.msg_vtl = 1;
	CHECK_EQ(vt_post(&t, 4, &c, sizeof(c)), HV_STATUS_SUCCESS);
	CHECK_EQ(contact_response(&t, 0, NULL), 0);		/* VTL 1 */
	c.msg_vtl = 0;
	c.monitor_page1 = htole64(0x20000);
	CHECK_EQ(vt_post(&t, 4, &c, sizeof(c)), HV_STATUS_SUCCESS);
	CHECK_EQ(contact_response(&t, 0, NULL), 0);		/* one monitor page */
	c.monitor_page2 = htole64(TP_RAM_SIZE);
	CHECK_EQ(vt_post(&t, 4, &c, sizeof(c)), HV_STATUS_SUCCESS);
	CHECK_EQ(contact_response(&t, 0, NULL), 0);		/* outside RAM */
	c.monitor_page2 = htole64(0x21000);
	CHECK_EQ(vt_post(&t, 4, &c, sizeof(c)), HV_STATUS_SUCCESS);
	CHECK_EQ(contact_response(&t, 0, NULL), 1);
	c.monitor_page1 = 0;
	c.monitor_page2 = 0;
	CHECK_EQ(vt_post(&t, 4, &c, sizeof(c)), HV_STATUS_SUCCESS);
	CHECK_EQ(contact_response(&t, 0, NULL), 1);		/* none is fine */
	vt_fini(&t);
}

static void srv_offers(void)
{
	static const struct hv_guid echo = VMBUS_CLASS_HVSTACK_ECHO;
	const struct vmbus_chanmsg_offer *o;
	struct hv_message m[3], x;
	uint32_t relid;
	struct tp t;

	vt_init_echo(&t, 1, 3);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 0, 0, NULL), 1);
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_REQUESTOFFERS), HV_STATUS_SUCCESS);
	for (relid = 1; relid <= 3; relid++) {
		CHECK_EQ(vt_recv(&t, 0, &m[relid - 1]), VMBUS_CHANMSG_OFFERCHANNEL);
		o = (const void *)m[relid - 1].payload;
		CHECK_EQ(m[relid - 1].header.payload_size, sizeof(*o));
		CHECK(!memcmp(&o->if_type, &echo, sizeof(echo)));
		CHECK_EQ(le32toh(o->child_relid), relid);
		CHECK_EQ(le32toh(o->connection_id), 0x2000 + relid);
		CHECK_EQ(o->monitor_id, 0xff);
		CHECK_EQ(o->monitor_flags, 0);
		CHECK_EQ(le16toh(o->interrupt_flags), VMBUS_OFFER_DEDICATED_INTERRUPT);
		CHECK_EQ(le16toh(o->sub_channel_index), 0);
		CHECK_EQ(le16toh(o->chflags), 0);
	}
	/* Instance GUIDs differ and are stable. */
	CHECK(memcmp(m[0].payload + 24, m[1].payload + 24, 16));
	CHECK(memcmp(m[1].payload + 24, m[2].payload + 24, 16));
	CHECK_EQ(m[0].payload[24], 0);
	CHECK_EQ(m[2].payload[24], 2);
	CHECK_EQ(vt_recv(&t, 0, &x), VMBUS_CHANMSG_ALLOFFERS_DELIVERED);
	CHECK_EQ(x.header.payload_size, 8);
	CHECK(!strcmp(vt_state(&t),
		      "version=0x50003 connected=1 target_vp=0 offers=3 requested=1 gpadls=0 subchannels=0"));
	/* Only once per connection. */
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_REQUESTOFFERS), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &x), -1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), 1);
	vt_fini(&t);
}

static void srv_malformed(void)
{
	uint8_t buf[HV_MESSAGE_PAYLOAD_MAX] __attribute__((aligned(8)));
	struct hv_message m;
	struct tp t;

	vt_init(&t, 1, NULL);
	memset(buf, 0, sizeof(buf));
	buf[0] = VMBUS_CHANMSG_INITIATE_CONTACT;
	CHECK_EQ(vt_post(&t, 1, buf, 4), HV_STATUS_SUCCESS);	/* no full header */
	CHECK_EQ(vt_post(&t, 1, buf, 0), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_post(&t, 1, buf, 39), HV_STATUS_SUCCESS);	/* one byte short */
	buf[0] = VMBUS_CHANMSG_OFFERCHANNEL;			/* host -> guest type */
	CHECK_EQ(vt_post(&t, 1, buf, 196), HV_STATUS_SUCCESS);
	buf[0] = 99;
	CHECK_EQ(vt_post(&t, 1, buf, 240), HV_STATUS_SUCCESS);
	buf[0] = VMBUS_CHANMSG_TL_CONNECT_REQUEST;		/* not served */
	CHECK_EQ(vt_post(&t, 1, buf, 56), HV_STATUS_SUCCESS);
	buf[0] = VMBUS_CHANMSG_REQUESTOFFERS;			/* SynIC type not 1 */
	CHECK_EQ(tp_post(&t, 0, 1, 2, buf, 8), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_MALFORMED), 7);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_RECEIVED), 7);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), 0);
	/* Well-formed, but before contact: a protocol error. */
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_REQUESTOFFERS), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), 1);
	/* The server still works. */
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 0, 0, NULL), 1);
	CHECK(strstr(vt_state(&t), "connected=1"));
	vt_ctl(&t, "stats", 0);
	CHECK(strstr(answer, "\nvmbus_malformed=7\n"));
	CHECK(strstr(answer, "\nvmbus_protocol_errors=1\n"));
	vt_fini(&t);
}

static void srv_unload(void)
{
	struct hv_message m;
	struct tp t;

	vt_init_echo(&t, 2, 2);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 1, 1, NULL), 1);
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_UNLOAD), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 1, &m), VMBUS_CHANMSG_UNLOAD_RESPONSE);
	CHECK_EQ(m.header.payload_size, 8);
	CHECK(!strcmp(vt_state(&t),
		      "version=0x0 connected=0 target_vp=0 offers=2 requested=0 gpadls=0 subchannels=0"));
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_REQUESTOFFERS), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(vt_recv(&t, 1, &m), -1);
	/* Connect again: the offers come again. */
	vt_connect(&t, 2);
	vt_fini(&t);
}

static void srv_hot_add_offer(void)
{
	const struct vmbus_chanmsg_offer *o;
	struct hv_message m;
	struct tp t;

	vt_init(&t, 1, NULL);
	vt_ctl(&t, "vmbus-offer echo", 0);			/* before contact */
	CHECK(!strcmp(answer, "relid=1"));
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	vt_connect(&t, 1);
	vt_ctl(&t, "vmbus-offer echo", 0);
	CHECK(!strcmp(answer, "relid=2"));
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	o = (const void *)m.payload;
	CHECK_EQ(le32toh(o->child_relid), 2);
	CHECK_EQ(le32toh(o->connection_id), 0x2002);
	CHECK_EQ(o->if_instance.b[0], 1);
	CHECK(strstr(vt_state(&t), " offers=2 "));
	vt_ctl(&t, "vmbus-offer net", -1);
	vt_fini(&t);
}

static void srv_rescind_release(void)
{
	struct vmbus_chanmsg_relid rel = {
		.hdr.msgtype = htole32(VMBUS_CHANMSG_RELID_RELEASED),
		.child_relid = htole32(1),
	};
	struct hv_message m;
	struct tp t;

	vt_init_echo(&t, 1, 2);
	vt_connect(&t, 2);
	vt_ctl(&t, "vmbus-rescind 1", 0);
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_RESCIND_CHANNELOFFER);
	CHECK_EQ(m.header.payload_size, 12);
	CHECK_EQ(le32toh(((struct vmbus_chanmsg_relid *)m.payload)->child_relid), 1);
	CHECK(strstr(vt_state(&t), " offers=2 "));		/* until released */
	vt_ctl(&t, "vmbus-rescind 1", -1);			/* already rescinded */
	vt_ctl(&t, "vmbus-rescind 9", -1);
	vt_ctl(&t, "vmbus-rescind x", -1);
	CHECK_EQ(vt_post(&t, 1, &rel, sizeof(rel)), HV_STATUS_SUCCESS);
	CHECK(strstr(vt_state(&t), " offers=1 "));
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_RELIDS_RELEASED), 1);
	CHECK_EQ(vt_post(&t, 1, &rel, sizeof(rel)), HV_STATUS_SUCCESS);	/* again */
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_RELIDS_RELEASED), 1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), 1);
	/* The relid is free again. */
	vt_ctl(&t, "vmbus-offer echo", 0);
	CHECK(!strcmp(answer, "relid=1"));
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	vt_fini(&t);
}

static void srv_open_fails(void)
{
	struct vmbus_chanmsg_open o;
	const struct vmbus_chanmsg_open_result *r;
	struct hv_message m;
	struct tp t;

	vt_init_echo(&t, 1, 1);
	vt_connect(&t, 1);
	memset(&o, 0, sizeof(o));
	o.hdr.msgtype = htole32(VMBUS_CHANMSG_OPENCHANNEL);
	o.child_relid = htole32(1);
	o.open_id = htole32(0x77);
	CHECK_EQ(vt_post(&t, 1, &o, sizeof(o)), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_OPENCHANNEL_RESULT);
	r = (const void *)m.payload;
	CHECK_EQ(m.header.payload_size, sizeof(*r));
	CHECK_EQ(le32toh(r->child_relid), 1);
	CHECK_EQ(le32toh(r->open_id), 0x77);
	CHECK(le32toh(r->status) != 0);
	CHECK_EQ(vt_post(&t, 1, &o, sizeof(o) - 1), HV_STATUS_SUCCESS);	/* short */
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	vt_fini(&t);
}

static void srv_no_server(void)
{
	struct tp t;

	tp_init(&t, 1);
	vt_ctl(&t, "vmbus-state", -1);
	CHECK(!strcmp(answer, "error: no VMBus server"));
	CHECK_EQ(tp_post(&t, 0, 1, HVMSG_CHANNEL, "12345678", 8), HV_STATUS_INVALID_CONNECTION_ID);
	tp_destroy(&t);
}

const struct unit_test hvh_srv_tests[] = {
	{ "srv_each_version", srv_each_version },
	{ "srv_above_max", srv_above_max },
	{ "srv_connection_4_rule", srv_connection_4_rule },
	{ "srv_versions_none", srv_versions_none },
	{ "srv_parse", srv_parse },
	{ "srv_target_vp", srv_target_vp },
	{ "srv_contact_fields", srv_contact_fields },
	{ "srv_offers", srv_offers },
	{ "srv_malformed", srv_malformed },
	{ "srv_unload", srv_unload },
	{ "srv_hot_add_offer", srv_hot_add_offer },
	{ "srv_rescind_release", srv_rescind_release },
	{ "srv_open_fails", srv_open_fails },
	{ "srv_no_server", srv_no_server },
	{ NULL, NULL },
};
