// SPDX-License-Identifier: GPL-2.0
/*
 * Relid slots and their offers: echo devices and subchannels taking a
 * slot, OFFERCHANNEL, REQUESTOFFERS, hot-add, rescind (a primary's
 * subchannels first), RELID_RELEASED, and what a connection reset does to
 * the slots (see vmbus_srv.h).  Everything here must hold the server lock.
 */
#include <endian.h>
#include <string.h>

#include "vmbus_srv.h"

/* Take the lowest free slot for a new channel; *@relid its relid.  NULL if none. */
static struct hvh_dev *slot_take(struct hvh_srv *s, uint32_t *relid)
{
	uint32_t r;

	for (r = 1; r <= HVH_SRV_MAX_CHANNELS; r++) {
		struct hvh_dev *d = &s->dev[r - 1];

		if (d->state != HVH_DEV_FREE)
			continue;
		d->state = HVH_DEV_ACTIVE;
		d->offered = false;
		d->known = true;
		d->monitored = false;
		d->monitor_id = VMBUS_MONITOR_ID_NONE;
		d->sub_index = 0;
		d->primary = r;
		d->max_sub = 0;
		d->mnf = false;
		*relid = r;
		return d;
	}
	return NULL;
}

/* The slot is free again; its monitor id goes back to the pool, its VSP context dropped. */
static void slot_free(struct hvh_srv *s, struct hvh_dev *d)
{
	if (d->chan.vsp_ctx && d->chan.vsp->put)
		d->chan.vsp->put(d->chan.vsp_ctx);
	d->chan.vsp_ctx = NULL;
	d->state = HVH_DEV_FREE;
	d->offered = false;
	d->monitored = false;
	if (d->monitor_id != VMBUS_MONITOR_ID_NONE)
		hvh_mnf_id_put(s, d->monitor_id);
	d->monitor_id = VMBUS_MONITOR_ID_NONE;
}

/*
 * Take a slot for a new primary channel of @vsp (context @ctx) with class
 * @type, instance @inst with @index in the low half of Data1, and up to
 * @max_sub subchannels.  NULL when all devices or slots are in use.
 */
static struct hvh_dev *primary_take(struct hvh_srv *s, const struct hvh_vsp *vsp,
				    void *ctx, const struct hv_guid *type,
				    const struct hv_guid *inst, unsigned int index,
				    unsigned int max_sub, uint32_t *relid)
{
	struct hvh_dev *d;

	if (hvh_count_primaries(s) >= HVH_SRV_MAX_DEVICES)
		return NULL;
	d = slot_take(s, relid);
	if (!d)
		return NULL;
	hvh_chan_new_device(&d->chan, vsp, ctx);
	d->if_type = *type;
	d->if_instance = *inst;
	d->if_instance.b[0] = index & 0xff;
	d->if_instance.b[1] = (index >> 8) & 0xff;
	d->max_sub = max_sub;
	return d;
}

uint32_t hvh_add_echo(struct hvh_srv *s, unsigned int max_sub, bool mnf)
{
	static const struct hv_guid echo_class = VMBUS_CLASS_HVSTACK_ECHO;
	/* Instance n: 1e7c0000-0000-4000-8000-6876737461xx with n in Data1's low half. */
	static const struct hv_guid inst = HV_GUID_INIT(0x1e7c0000, 0x0000, 0x4000, 0x80, 0x00,
							0x68, 0x76, 0x73, 0x74, 0x61, 0x63);
	struct hvh_dev *d;
	uint32_t relid;

	d = primary_take(s, &hvh_echo_vsp, NULL, &echo_class, &inst, s->echo_made, max_sub,
			 &relid);
	if (!d)
		return 0;
	s->echo_made++;
	d->mnf = mnf;
	if (mnf)
		d->monitor_id = hvh_mnf_id_get(s);
	return relid;
}

uint32_t hvh_add_scsi(struct hvh_srv *s, struct storvsp *sp)
{
	static const struct hv_guid scsi_class = VMBUS_CLASS_SCSI;
	/* Instance n: 5c510000-0000-4000-8000-6876737461xx with n in Data1's low half. */
	static const struct hv_guid inst = HV_GUID_INIT(0x5c510000, 0x0000, 0x4000, 0x80, 0x00,
							0x68, 0x76, 0x73, 0x74, 0x61, 0x63);
	uint32_t relid;

	if (!primary_take(s, &storvsp_vsp, sp, &scsi_class, &inst, sp->index, sp->max_sub, &relid))
		return 0;
	sp->relid = relid;
	return relid;
}

uint32_t hvh_hot_add_scsi(struct hvh_srv *s, struct storvsp *sp)
{
	uint32_t relid = hvh_add_scsi(s, sp);

	if (relid && s->connected && s->requested)
		hvh_offer_send(s, relid);
	return relid;
}

/* The index for a new subchannel of @primary: after the highest in use. */
static uint16_t sub_next_index(struct hvh_srv *s, uint32_t primary)
{
	unsigned int i, idx, high = 0;
	bool used;

	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++)
		if (s->dev[i].state != HVH_DEV_FREE && s->dev[i].sub_index &&
		    s->dev[i].primary == primary && s->dev[i].sub_index > high)
			high = s->dev[i].sub_index;
	if (high < 0xffff)
		return (uint16_t)(high + 1);
	/* Indices used up to the top: the lowest one free (fewer than 256 are used). */
	for (idx = 1;; idx++) {
		used = false;
		for (i = 0; i < HVH_SRV_MAX_CHANNELS && !used; i++)
			used = s->dev[i].state != HVH_DEV_FREE && s->dev[i].primary == primary &&
			       s->dev[i].sub_index == idx;
		if (!used)
			return (uint16_t)idx;
	}
}

uint32_t hvh_add_sub(struct hvh_srv *s, uint32_t primary)
{
	struct hvh_dev *p = &s->dev[primary - 1], *d;
	uint16_t idx = sub_next_index(s, primary);
	uint32_t relid;

	d = slot_take(s, &relid);
	if (!d)
		return 0;
	hvh_chan_new_device(&d->chan, p->chan.vsp, p->chan.vsp_ctx);
	if (p->chan.vsp_ctx && p->chan.vsp->get)
		p->chan.vsp->get(p->chan.vsp_ctx);
	d->if_type = p->if_type;
	d->if_instance = p->if_instance;
	d->sub_index = idx;
	d->primary = primary;
	if (p->mnf)
		d->monitor_id = hvh_mnf_id_get(s);
	return relid;
}

void hvh_offer_send(struct hvh_srv *s, uint32_t relid)
{
	struct hvh_dev *d = &s->dev[relid - 1];
	struct vmbus_chanmsg_offer o;

	memset(&o, 0, sizeof(o));
	o.hdr.msgtype = htole32(VMBUS_CHANMSG_OFFERCHANNEL);
	o.if_type = d->if_type;
	o.if_instance = d->if_instance;
	o.sub_channel_index = htole16(d->sub_index);
	o.child_relid = htole32(relid);
	o.monitor_id = VMBUS_MONITOR_ID_NONE;
	o.monitor_flags = 0;
	o.interrupt_flags = htole16(VMBUS_OFFER_DEDICATED_INTERRUPT);
	o.connection_id = htole32(HVH_SRV_CHANNEL_CONN(relid));
	hvh_mnf_offer(s, d, relid, &o);
	hvh_msg_send(s, &o, sizeof(o));
	d->offered = true;
}

static void hvh_msg_send_relid(struct hvh_srv *s, uint32_t type, uint32_t relid)
{
	struct vmbus_chanmsg_relid m = {
		.hdr.msgtype = htole32(type),
		.child_relid = htole32(relid),
	};

	hvh_msg_send(s, &m, sizeof(m));
}

void hvh_request_offers(struct hvh_srv *s)
{
	uint32_t relid;

	if (s->requested) {
		hvh_proto_error(s, "second REQUESTOFFERS", 0);
		return;
	}
	s->requested = true;
	/* Only devices: subchannels are made on this connection, after this. */
	for (relid = 1; relid <= HVH_SRV_MAX_CHANNELS; relid++)
		if (s->dev[relid - 1].state == HVH_DEV_ACTIVE)
			hvh_offer_send(s, relid);
	hvh_msg_send_hdr(s, VMBUS_CHANMSG_ALLOFFERS_DELIVERED);
}

int hvh_hot_add_echo(struct hvh_srv *s)
{
	uint32_t relid = hvh_add_echo(s, s->hot_max_sub, s->hot_mnf);

	if (relid && s->connected && s->requested)
		hvh_offer_send(s, relid);
	return (int)relid;
}

static void rescind_one(struct hvh_srv *s, uint32_t relid)
{
	struct hvh_dev *d = &s->dev[relid - 1];

	if (d->offered) {
		d->state = HVH_DEV_RESCINDED;
		hvh_msg_send_relid(s, VMBUS_CHANMSG_RESCIND_CHANNELOFFER, relid);
		/* An open channel stays open until the guest closes it. */
		hvh_chan_stop(&d->chan);
	} else {
		slot_free(s, d);	/* the guest never saw it */
	}
}

/* Rescind the live subchannels of @primary, lowest index first. */
static void rescind_subs(struct hvh_srv *s, uint32_t primary)
{
	uint32_t rel[HVH_SRV_MAX_CHANNELS], r, t;
	unsigned int n = 0, i, k;

	for (r = 1; r <= HVH_SRV_MAX_CHANNELS; r++) {
		const struct hvh_dev *d = &s->dev[r - 1];

		if (d->state == HVH_DEV_ACTIVE && d->sub_index && d->primary == primary)
			rel[n++] = r;
	}
	for (i = 1; i < n; i++)		/* insertion sort by index: n is small */
		for (k = i; k > 0 && s->dev[rel[k] - 1].sub_index <
				     s->dev[rel[k - 1] - 1].sub_index; k--) {
			t = rel[k];
			rel[k] = rel[k - 1];
			rel[k - 1] = t;
		}
	for (i = 0; i < n; i++)
		rescind_one(s, rel[i]);
}

int hvh_rescind(struct hvh_srv *s, uint32_t relid)
{
	struct hvh_dev *d = hvh_dev_get(s, relid);

	if (!d || (d->state != HVH_DEV_ACTIVE && d->state != HVH_DEV_RELEASED))
		return -1;
	if (!d->sub_index)
		rescind_subs(s, relid);
	rescind_one(s, relid);
	return 0;
}

void hvh_relid_released(struct hvh_srv *s, const uint8_t *msg)
{
	const struct vmbus_chanmsg_relid *m = (const void *)msg;
	uint32_t relid = le32toh(m->child_relid);
	struct hvh_dev *d = hvh_dev_get(s, relid);

	if (!d) {
		hvh_proto_error(s, "RELID_RELEASED for a bad relid", relid);
		return;
	}
	if (d->chan.open) {
		hvh_proto_error(s, "RELID_RELEASED of an open channel", relid);
		return;
	}
	if (d->state == HVH_DEV_RESCINDED ||
	    (d->state == HVH_DEV_ACTIVE && d->offered && d->sub_index)) {
		slot_free(s, d);
		hvh_gpadl_free_relid(s, relid);	/* any the guest did not tear down */
	} else if (d->state == HVH_DEV_ACTIVE && d->offered) {
		d->state = HVH_DEV_RELEASED;	/* the guest could not use the device */
		d->offered = false;
	} else {
		hvh_proto_error(s, "RELID_RELEASED for a relid not offered", relid);
		return;
	}
	stat_inc(&s->p->stats, STAT_VMBUS_RELIDS_RELEASED);
}

void hvh_offers_reset(struct hvh_srv *s)
{
	unsigned int i;

	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++) {
		struct hvh_dev *d = &s->dev[i];

		if (d->state == HVH_DEV_FREE)
			continue;
		if (d->state == HVH_DEV_RESCINDED || d->sub_index)
			slot_free(s, d);	/* released, or a subchannel: gone */
		else if (d->state == HVH_DEV_RELEASED)
			d->state = HVH_DEV_ACTIVE;
		d->offered = false;
		d->monitored = false;
	}
}
