// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus server: message dispatch, version negotiation, UNLOAD and
 * connection reset, slot lookup, life cycle (see vmbus_srv.h).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "services.h"
#include "vmbus_srv.h"

const uint32_t hvh_srv_versions[HVH_SRV_NR_VERSIONS] = {
	VMBUS_VERSION_WIN8, VMBUS_VERSION_WIN8_1, VMBUS_VERSION_WIN10, VMBUS_VERSION_WIN10_RS3,
	VMBUS_VERSION_WIN10_V5, VMBUS_VERSION_WIN10_RS4, VMBUS_VERSION_WIN10_RS5,
	VMBUS_VERSION_IRON,
};

/* Smallest valid length of each message type, header included. */
static const uint16_t hvh_msg_min_len[VMBUS_CHANMSG_COUNT] = VMBUS_CHANMSG_MIN_LEN_TABLE;

void hvh_proto_error(struct hvh_srv *s, const char *what, uint32_t a)
{
	stat_inc(&s->p->stats, STAT_VMBUS_PROTOCOL_ERRORS);
	hv_dbg("vmbus: protocol error: %s (0x%x)", what, a);
}

void hvh_msg_send_hdr(struct hvh_srv *s, uint32_t type)
{
	struct vmbus_chanmsg_hdr h = { .msgtype = htole32(type) };

	hvh_msg_send(s, &h, sizeof(h));
}

/*
 * Back to disconnected: every channel closed, no GPADLs, no subchannels,
 * nothing offered or waiting in the outbox, pending releases done, the
 * monitor poller idle.
 */
static void hvh_conn_reset(struct hvh_srv *s)
{
	unsigned int i;

	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++)
		hvh_chan_close(&s->dev[i].chan);
	hvh_gpadl_free_all(s);
	hvh_outbox_clear(s);
	hvh_offers_reset(s);
	hvh_mnf_reset(s);
	s->connected = false;
	s->requested = false;
	s->version = 0;
	s->target_vp = 0;
	s->msg_sint = VMBUS_MESSAGE_SINT;
	s->monitor_page[0] = 0;
	s->monitor_page[1] = 0;
}

static bool hvh_version_known(struct hvh_srv *s, uint32_t v)
{
	unsigned int i;

	if (v > s->max_version)
		return false;
	for (i = 0; i < HVH_SRV_NR_VERSIONS; i++)
		if (hvh_srv_versions[i] == v)
			return s->versions & (1U << i);
	return false;
}

static bool hvh_monitor_ok(struct hvh_srv *s, uint64_t gpa)
{
	return !gpa || (!(gpa & (HV_PAGE_SIZE - 1)) && gm_range_ok(&s->p->mem, gpa, HV_PAGE_SIZE));
}

/* Why INITIATE_CONTACT @m, posted to @conn, cannot be accepted; NULL if it can. */
static const char *hvh_contact_refusal(struct hvh_srv *s, uint32_t conn,
				       const struct vmbus_chanmsg_initiate_contact *m)
{
	uint32_t v = le32toh(m->version);
	uint64_t mon1 = le64toh(m->monitor_page1), mon2 = le64toh(m->monitor_page2);

	if (!hvh_version_known(s, v))
		return "version not supported";
	if ((v >= VMBUS_VERSION_WIN10_V5) != (conn == VMBUS_MESSAGE_CONNECTION_ID_4))
		return "versions >= 5.0 on connection 4, older ones on 1";
	if (v >= VMBUS_VERSION_WIN8_1 && le32toh(m->target_vcpu) >= s->p->nr_vps)
		return "target VP out of range";
	if (v >= VMBUS_VERSION_WIN10_V5 && m->msg_sint != VMBUS_MESSAGE_SINT)
		return "message SINT is not 2";
	if (v >= VMBUS_VERSION_WIN10_RS4 && m->msg_vtl)
		return "message VTL is not 0";
	if (!mon1 != !mon2)
		return "one monitor page without the other";
	if (!hvh_monitor_ok(s, mon1) || !hvh_monitor_ok(s, mon2))
		return "monitor page outside guest RAM";
	return NULL;
}

static void hvh_initiate_contact(struct hvh_srv *s, uint32_t conn, const uint8_t *msg)
{
	const struct vmbus_chanmsg_initiate_contact *m = (const void *)msg;
	struct vmbus_chanmsg_version_response r;
	uint32_t v = le32toh(m->version);
	uint32_t target = le32toh(m->target_vcpu);
	const char *why;

	if (s->connected) {
		hv_dbg("vmbus: INITIATE_CONTACT while connected: reconnecting");
		hvh_conn_reset(s);
	}
	why = hvh_contact_refusal(s, conn, m);
	memset(&r, 0, sizeof(r));
	r.hdr.msgtype = htole32(VMBUS_CHANMSG_VERSION_RESPONSE);
	if (why) {
		hv_dbg("vmbus: refusing version 0x%x: %s", v, why);
		/* The answer goes where an acceptance would have gone, or to VP 0. */
		s->target_vp = v >= VMBUS_VERSION_WIN8_1 && target < s->p->nr_vps ? target : 0;
		hvh_msg_send(s, &r, sizeof(r));
		s->target_vp = 0;
		return;
	}
	s->connected = true;
	s->version = v;
	s->target_vp = v >= VMBUS_VERSION_WIN8_1 ? target : 0;
	s->msg_sint = VMBUS_MESSAGE_SINT;
	s->monitor_page[0] = le64toh(m->monitor_page1);
	s->monitor_page[1] = le64toh(m->monitor_page2);
	hvh_mnf_connect(s);
	r.version_supported = 1;
	r.connection_state = 0;
	if (v >= VMBUS_VERSION_WIN10_V5)
		r.msg_conn_id = htole32(VMBUS_MESSAGE_CONNECTION_ID);
	hv_dbg("vmbus: connected at version 0x%x, target vp %u", v, s->target_vp);
	hvh_msg_send(s, &r, sizeof(r));
}

struct hvh_dev *hvh_dev_get(struct hvh_srv *s, uint32_t relid)
{
	return relid >= 1 && relid <= HVH_SRV_MAX_CHANNELS ? &s->dev[relid - 1] : NULL;
}

static unsigned int hvh_count_slots(struct hvh_srv *s, bool subs)
{
	unsigned int i, n = 0;

	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++)
		n += s->dev[i].state != HVH_DEV_FREE && !s->dev[i].sub_index == !subs;
	return n;
}

unsigned int hvh_count_primaries(struct hvh_srv *s)
{
	return hvh_count_slots(s, false);
}

unsigned int hvh_count_subs(struct hvh_srv *s)
{
	return hvh_count_slots(s, true);
}

/* The device @relid if it is offered on this connection, else NULL. */
struct hvh_dev *hvh_dev_offered(struct hvh_srv *s, uint32_t relid)
{
	struct hvh_dev *d = hvh_dev_get(s, relid);

	return d && d->offered && d->state == HVH_DEV_ACTIVE ? d : NULL;
}

static void hvh_unload(struct hvh_srv *s)
{
	unsigned int vp = s->target_vp;

	/* Logged: make check's panic boot proves the guest unloads first. */
	hv_info("vmbus: UNLOAD from the guest (version 0x%x)", s->version);
	stat_inc(&s->p->stats, STAT_VMBUS_UNLOADS);
	hvh_conn_reset(s);
	s->target_vp = vp;	/* the response goes where the guest expects it */
	hvh_msg_send_hdr(s, VMBUS_CHANMSG_UNLOAD_RESPONSE);
	s->target_vp = 0;
}

/* Checked message @msg of @size bytes (@size >= its type's minimum). Must hold the lock. */
static void hvh_msg_dispatch(struct hvh_srv *s, uint32_t conn, uint32_t type,
			     const uint8_t *msg, uint32_t size)
{
	if (type == VMBUS_CHANMSG_INITIATE_CONTACT) {
		hvh_initiate_contact(s, conn, msg);
		return;
	}
	if (type == VMBUS_CHANMSG_UNLOAD) {
		hvh_unload(s);
		return;
	}
	if (!s->connected) {
		hvh_proto_error(s, "message before INITIATE_CONTACT", type);
		return;
	}
	switch (type) {
	case VMBUS_CHANMSG_REQUESTOFFERS:
		hvh_request_offers(s);
		break;
	case VMBUS_CHANMSG_OPENCHANNEL:
		hvh_chan_open_msg(s, msg);
		break;
	case VMBUS_CHANMSG_CLOSECHANNEL:
		hvh_chan_close_msg(s, msg);
		break;
	case VMBUS_CHANMSG_MODIFYCHANNEL:
		hvh_chan_modify_msg(s, msg);
		break;
	case VMBUS_CHANMSG_GPADL_HEADER:
		hvh_gpadl_header(s, msg, size);
		break;
	case VMBUS_CHANMSG_GPADL_BODY:
		hvh_gpadl_body(s, msg, size);
		break;
	case VMBUS_CHANMSG_GPADL_TEARDOWN:
		hvh_gpadl_teardown(s, msg, size);
		break;
	case VMBUS_CHANMSG_RELID_RELEASED:
		hvh_relid_released(s, msg);
		break;
	}
}

/* The guest -> host message types the server handles. */
static bool hvh_msg_handled(uint32_t type)
{
	switch (type) {
	case VMBUS_CHANMSG_REQUESTOFFERS:
	case VMBUS_CHANMSG_OPENCHANNEL:
	case VMBUS_CHANMSG_CLOSECHANNEL:
	case VMBUS_CHANMSG_GPADL_HEADER:
	case VMBUS_CHANMSG_GPADL_BODY:
	case VMBUS_CHANMSG_GPADL_TEARDOWN:
	case VMBUS_CHANMSG_RELID_RELEASED:
	case VMBUS_CHANMSG_INITIATE_CONTACT:
	case VMBUS_CHANMSG_UNLOAD:
	case VMBUS_CHANMSG_MODIFYCHANNEL:
		return true;
	default:
		return false;
	}
}

static uint16_t hvh_msg_post(struct hvh_srv *s, uint32_t conn, uint32_t hvtype,
			     const uint8_t *payload, uint32_t size)
{
	uint8_t msg[HV_MESSAGE_PAYLOAD_MAX] __attribute__((aligned(8)));	/* cast to structs */
	struct hv_stats *st = &s->p->stats;
	uint32_t type;

	pthread_mutex_lock(&s->lock);
	if (conn == VMBUS_MESSAGE_CONNECTION_ID_4 && s->max_version < VMBUS_VERSION_WIN10_V5) {
		/* No connection 4 before 5.0: Linux drivers/hv/connection.c, vmbus_post_msg(). */
		pthread_mutex_unlock(&s->lock);
		return HV_STATUS_INVALID_CONNECTION_ID;
	}
	stat_inc(st, STAT_VMBUS_RECEIVED);
	if (hvtype != HVMSG_CHANNEL || size < sizeof(struct vmbus_chanmsg_hdr) ||
	    size > sizeof(msg))
		goto malformed;
	memset(msg, 0, sizeof(msg));
	memcpy(msg, payload, size);	/* read the guest's bytes once */
	type = le32toh(((const struct vmbus_chanmsg_hdr *)msg)->msgtype);
	if (type >= VMBUS_CHANMSG_COUNT || !hvh_msg_handled(type) || size < hvh_msg_min_len[type])
		goto malformed;
	hvh_msg_dispatch(s, conn, type, msg, size);
	pthread_mutex_unlock(&s->lock);
	return HV_STATUS_SUCCESS;
malformed:
	stat_inc(st, STAT_VMBUS_MALFORMED);
	hv_dbg("vmbus: dropped a malformed message (type %u, %u bytes)", hvtype, size);
	pthread_mutex_unlock(&s->lock);
	return HV_STATUS_SUCCESS;
}

static uint16_t hvh_msg_post1(struct partition *p, void *ctx, unsigned int vp, uint32_t type,
			      const uint8_t *payload, uint32_t size)
{
	(void)p;
	(void)vp;
	return hvh_msg_post(ctx, VMBUS_MESSAGE_CONNECTION_ID, type, payload, size);
}

static uint16_t hvh_msg_post4(struct partition *p, void *ctx, unsigned int vp, uint32_t type,
			      const uint8_t *payload, uint32_t size)
{
	(void)p;
	(void)vp;
	return hvh_msg_post(ctx, VMBUS_MESSAGE_CONNECTION_ID_4, type, payload, size);
}

/* Every channel closed (or never opened). */
static void hvh_srv_free(struct hvh_srv *s)
{
	unsigned int i;

	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++) {
		struct hvh_chan *ch = &s->dev[i].chan;

		if (s->dev[i].state != HVH_DEV_FREE && ch->vsp_ctx && ch->vsp->put)
			ch->vsp->put(ch->vsp_ctx);	/* VSP contexts (storvsp) */
		ch->vsp_ctx = NULL;
	}
	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++)
		hvh_chan_fini(&s->dev[i].chan);
	hvh_mnf_fini(s);
	pthread_mutex_destroy(&s->lock);
	free(s->out);
	free(s);
}

static int hvh_srv_register(struct partition *p, struct hvh_srv *s)
{
	struct conn_handler h1 = { .id = VMBUS_MESSAGE_CONNECTION_ID, .post = hvh_msg_post1 };
	struct conn_handler h4 = { .id = VMBUS_MESSAGE_CONNECTION_ID_4, .post = hvh_msg_post4 };
	struct conn_handler hc = {
		.id = HVH_SRV_CHANNEL_CONN(1),
		.nr_ids = HVH_SRV_MAX_CHANNELS,
		.signal = hvh_chan_signal,
	};
	int rc;

	h1.ctx = s;
	h4.ctx = s;
	hc.ctx = s;
	rc = conn_register(p, &h1);
	if (rc)
		return rc;
	rc = conn_register(p, &h4);
	if (rc)
		goto err_unregister1;
	rc = conn_register(p, &hc);
	if (rc)
		goto err_unregister4;
	return 0;

err_unregister4:
	conn_unregister(p, VMBUS_MESSAGE_CONNECTION_ID_4);
err_unregister1:
	conn_unregister(p, VMBUS_MESSAGE_CONNECTION_ID);
	return rc;
}

static int hvh_config_check(const struct hvh_config *c)
{
	unsigned int i;

	if (c->echo > HVH_SRV_MAX_DEVICES || c->nr_file > HVH_SRV_MAX_DEVICES - c->echo ||
	    c->nr_scsi > HVH_SRV_MAX_DEVICES - c->echo - c->nr_file ||
	    c->echo_sub > HVH_SRV_MAX_SUB || !c->mnf_latency_us ||
	    c->mnf_latency_us > HVH_SRV_MNF_LATENCY_MAX)
		return -EINVAL;
	for (i = 0; i < c->nr_file; i++)
		if (c->file[i].max_sub > HVH_SRV_MAX_SUB)
			return -EINVAL;
	for (i = 0; i < c->nr_scsi; i++)
		if (c->scsi[i].max_sub > HVH_SRV_MAX_SUB ||
		    c->scsi[i].max_transfer < STORVSP_MAX_TRANSFER_MIN ||
		    c->scsi[i].max_transfer > STORVSP_MAX_TRANSFER_MAX)
			return -EINVAL;
	return 0;
}

/*
 * The configured devices: --vmbus-echo's first, then the config file's
 * echo devices, then the SCSI controllers.  Returns 0 or -errno (a LUN
 * file could not be opened or created: said on stderr).
 */
static int hvh_add_devices(struct hvh_srv *s, const struct hvh_config *c)
{
	struct storvsp *sp;
	unsigned int i;
	char err[256];
	int rc;

	for (i = 0; i < c->echo; i++)
		hvh_add_echo(s, c->echo_sub, c->mnf);
	for (i = 0; i < c->nr_file; i++)
		hvh_add_echo(s, c->file[i].max_sub, c->file[i].mnf);
	s->hot_max_sub = c->echo_sub;
	s->hot_mnf = c->mnf;
	for (i = 0; i < c->nr_scsi; i++) {
		rc = storvsp_create(s->p, &c->scsi[i], s->scsi_made++, &sp, err, sizeof(err));
		if (rc) {
			hv_err("scsi controller %u: %s", i, err);
			return rc;
		}
		if (!hvh_add_scsi(s, sp)) {	/* cannot happen: checked above */
			storvsp_put(sp);
			return -ENOSPC;
		}
	}
	return 0;
}

int hvh_srv_create(struct partition *p, const struct hvh_config *c)
{
	struct hvh_srv *s;
	unsigned int i;
	int rc;

	if (hvh_config_check(c))
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->p = p;
	pthread_mutex_init(&s->lock, NULL);
	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++)
		hvh_chan_init(&s->dev[i].chan, s, i + 1);
	rc = hvh_mnf_init(s, c->mnf_latency_us);
	if (rc)
		goto err_free;
	s->out = calloc(HVH_SRV_OUTBOX_LEN, sizeof(*s->out));
	if (!s->out) {
		rc = -ENOMEM;
		goto err_free;
	}
	s->versions = c->versions;
	s->max_version = c->max_version;
	hvh_conn_reset(s);
	rc = hvh_add_devices(s, c);
	if (rc)
		goto err_free;
	rc = hvh_srv_register(p, s);
	if (rc)
		goto err_free;
	p->vmbus = s;
	__atomic_store_n(&p->eom_hook, hvh_outbox_eom, __ATOMIC_RELEASE);
	return 0;

err_free:
	hvh_srv_free(s);
	return rc;
}

/* No VP thread may run any more (or the unit test is single-threaded). */
void hvh_srv_destroy(struct partition *p)
{
	struct hvh_srv *s = p->vmbus;
	unsigned int i;

	if (!s)
		return;
	__atomic_store_n(&p->eom_hook, NULL, __ATOMIC_RELEASE);
	conn_unregister(p, HVH_SRV_CHANNEL_CONN(1));
	conn_unregister(p, VMBUS_MESSAGE_CONNECTION_ID_4);
	conn_unregister(p, VMBUS_MESSAGE_CONNECTION_ID);
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++)
		hvh_chan_close(&s->dev[i].chan);
	hvh_gpadl_free_all(s);
	pthread_mutex_unlock(&s->lock);
	p->vmbus = NULL;
	hvh_srv_free(s);	/* joins the monitor poller */
}
