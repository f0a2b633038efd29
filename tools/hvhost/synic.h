/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The synthetic interrupt controller of each VP: SCONTROL, SIMP, SIEFP,
 * SINTx, EOM; per-SINT message queues and the message-pending/EOM
 * protocol; event flags.
 *
 * Message delivery (host side of TLFS "message buffers"):
 *   A message goes into SIMP slot n only while the slot's type is
 *   HVMSG_NONE: body first, then the type with release semantics.  If the
 *   slot is busy the host sets MessagePending in it (atomic OR), issues a
 *   full fence and re-checks the type.  The guest frees a slot with a
 *   compare-exchange of the type, a full fence and then reads the pending
 *   flag (writing EOM if set).  With fences on both sides at least one of
 *   the two sees the other's store, so a queued message is never stranded:
 *   either the host finds the slot free, or the guest finds the flag and
 *   writes EOM, which makes the host re-scan its queues.
 *
 * Acceptance: posts and event signals are refused with INVALID_SYNIC_STATE
 * while the VP's SynIC (SCONTROL), the page (SIMP / SIEFP) is disabled or
 * the SINT is masked (OpenVMM's rule; the TLFS only loses the interrupt).
 * Messages already queued are still delivered into the slot while the SINT
 * is masked (no interrupt; unmasking raises one if anything is pending), and
 * are dropped when the SynIC or the SIMP is disabled.
 */
#ifndef HVHOST_SYNIC_H
#define HVHOST_SYNIC_H

#include <stdbool.h>
#include <stdint.h>

#include "partition.h"

/* Reset values (TLFS): SCONTROL, SIMP, SIEFP = 0, every SINT masked. */
void synic_reset(struct vp *v);

/* True for the SynIC register names handled here. */
bool synic_is_reg(uint32_t name);

/* Register access; return an HVSIM_ST_* status. */
int synic_reg_get(struct vp *v, uint32_t name, uint64_t *val);
int synic_reg_set(struct vp *v, uint32_t name, uint64_t val);

/*
 * Queue a message for SINT @sint of VP @vp and deliver it if its slot is
 * free.  Returns HV_STATUS_SUCCESS, INVALID_SYNIC_STATE (see above),
 * INSUFFICIENT_BUFFERS (queue full) or INVALID_PARAMETER (bad vp, sint or
 * size).  Callable from any thread.
 */
uint16_t synic_post(struct partition *p, unsigned int vp, unsigned int sint, uint32_t type,
		    uint64_t sender, const void *payload, uint32_t size);

/*
 * Hostile mode: like synic_post() with a full 240-byte @payload, but the
 * slot's payload_size field says @wire_size (e.g. > 240).
 */
uint16_t synic_post_bad_size(struct partition *p, unsigned int vp, unsigned int sint,
			     uint32_t type, const void *payload, uint8_t wire_size);

/*
 * Set event flag @flag in SINT @sint's area of VP @vp's SIEFP page and
 * raise the interrupt if the flag was not set already (*@newly tells which,
 * may be NULL).  Returns SUCCESS, INVALID_SYNIC_STATE or INVALID_PARAMETER.
 */
uint16_t synic_signal(struct partition *p, unsigned int vp, unsigned int sint,
		      unsigned int flag, bool *newly);

/*
 * End of message: deliver queued messages into every free slot, then call
 * the partition's eom_hook (if any) with no lock held.
 */
void synic_eom(struct vp *v);

/* Messages waiting in VP @vp's queue for @sint. */
unsigned int synic_queued(struct partition *p, unsigned int vp, unsigned int sint);

#endif /* HVHOST_SYNIC_H */
