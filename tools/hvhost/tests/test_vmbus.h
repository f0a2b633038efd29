/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the VMBus server tests: a test partition with a server, and
 * the guest's side of the channel-management protocol (post to connection
 * 1 / 4, read SINT 2 slots).
 */
#ifndef HVHOST_TESTS_TEST_VMBUS_H
#define HVHOST_TESTS_TEST_VMBUS_H

#include "../vmbus_srv.h"
#include "unit.h"

/* tp_init + SynIC on for every VP + a server with @c (NULL = defaults). */
void vt_init(struct tp *t, unsigned int nr_vps, const struct vmbus_config *c);
void vt_fini(struct tp *t);
/* Post channel message @msg (@size bytes) to connection @conn from VP 0. */
uint16_t vt_post(struct tp *t, uint32_t conn, const void *msg, uint32_t size);
/* Post a message that is only a header of type @type to connection 1. */
uint16_t vt_post_hdr(struct tp *t, uint32_t type);
/*
 * Take the next message from SINT 2 of VP @vp into @m; returns its channel
 * message type, or -1 if the slot is empty (checks the SynIC type).
 */
int vt_recv(struct tp *t, unsigned int vp, struct hv_message *m);
/*
 * INITIATE_CONTACT for @version targeting VP @target, posted to the right
 * connection; returns version_supported from the response read on VP
 * @reply_vp (the response must be there), *@conn_id its msg_conn_id.
 */
int vt_contact(struct tp *t, uint32_t version, uint32_t target, unsigned int reply_vp,
	       uint32_t *conn_id);
/* Contact at 5.3 on VP 0, REQUESTOFFERS, consume @nr offers + ALLOFFERS. */
void vt_connect(struct tp *t, unsigned int nr);
/* The `vmbus-state` answer. */
const char *vt_state(struct tp *t);

#endif /* HVHOST_TESTS_TEST_VMBUS_H */
