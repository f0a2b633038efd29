/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the sim transport's per-VP mailbox
 * (include/hyperv/hvsim.h): one synchronous request at a time.
 */
#ifndef HVHOST_MAILBOX_H
#define HVHOST_MAILBOX_H

#include <stdbool.h>

#include "hyperv/hvsim.h"
#include "partition.h"

/*
 * If VP @vp's mailbox @mb holds a request (req_seq != done_seq), execute
 * it, write status, ret[] and text, then store-release done_seq = req_seq.
 * Returns true if a request was processed.  Called from VP @vp's service
 * thread only.
 */
bool mailbox_process(struct partition *p, unsigned int vp, struct hvsim_mailbox *mb);

/* Fill the shared-memory header for a partition (all fields little-endian). */
void mailbox_fill_header(struct hvsim_shm_header *h, unsigned int nr_vps, uint64_t ram_size);

#endif /* HVHOST_MAILBOX_H */
