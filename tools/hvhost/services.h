/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection ids: the targets of HvCallPostMessage and HvCallSignalEvent.
 * A small table maps an id to its handlers; the test services of
 * include/hyperv/hvsim.h (echo, event) are the first users, a VMBus server
 * registers connection ids 1 and 4 (and per-channel event ids) the same way.
 */
#ifndef HVHOST_SERVICES_H
#define HVHOST_SERVICES_H

#include <stdint.h>

#include "partition.h"

/*
 * Add @h (copied).  Returns 0, -EEXIST (an id of it is taken), -ENOSPC or
 * -EINVAL (no handler, or the range wraps).
 */
int conn_register(struct partition *p, const struct conn_handler *h);
/* Remove the registration that covers @id.  Returns 0 or -ENOENT. */
int conn_unregister(struct partition *p, uint32_t id);

/*
 * Route a post / a signal from VP @vp to connection @id.  Return the TLFS
 * status: INVALID_CONNECTION_ID when @id is not registered, INVALID_PORT_ID
 * when it is but takes no messages (events), else the handler's status.
 */
uint16_t conn_post(struct partition *p, unsigned int vp, uint32_t id, uint32_t type,
		   const uint8_t *payload, uint32_t size);
uint16_t conn_signal(struct partition *p, unsigned int vp, uint32_t id, unsigned int flag);

/* Register the hvsim echo (HVSIM_ECHO_CONNECTION_ID) and event services. */
int services_register_test(struct partition *p);

#endif /* HVHOST_SERVICES_H */
