/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall dispatch: validation of the control value and of memory
 * operands, then the handler.  Validation (TLFS, with OpenVMM and KVM as
 * the reference hosts), in this order:
 *   reserved control bits set                    -> INVALID_HYPERCALL_INPUT
 *   unknown call code                            -> INVALID_HYPERCALL_CODE
 *   simple call with rep count or start != 0     -> INVALID_HYPERCALL_INPUT
 *   rep call with rep count 0 or start >= count  -> INVALID_HYPERCALL_INPUT
 *   variable header size != 0 (no call takes one) -> INVALID_HYPERCALL_INPUT
 *   fast call whose input exceeds two qwords     -> INVALID_HYPERCALL_INPUT
 *   input/output GPA not 8-byte aligned          -> INVALID_ALIGNMENT
 *   input/output crossing a 4 KiB page           -> INVALID_ALIGNMENT
 *   input/output outside guest RAM               -> INVALID_HYPERCALL_INPUT
 * Memory input is copied out of guest RAM before the handler sees it.
 */
#ifndef HVHOST_HYPERCALL_H
#define HVHOST_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "partition.h"

/*
 * Execute a hypercall issued by VP @vp.  @control is the input value;
 * @arg1/@arg2 are the input and output GPAs of a memory call, or the two
 * input qwords of a fast call.  The call is fast when @force_fast or the
 * control's fast bit is set.  Returns the TLFS result value.
 */
uint64_t hypercall_exec(struct partition *p, unsigned int vp, uint64_t guest_tsc,
			uint64_t control, uint64_t arg1, uint64_t arg2, bool force_fast);

#endif /* HVHOST_HYPERCALL_H */
