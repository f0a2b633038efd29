/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic register access by TLFS name (HV_REG_*), as the sim transport's
 * GET_REG/SET_REG and HvCallGet/SetVpRegisters deliver it.
 */
#ifndef HVHOST_REGS_H
#define HVHOST_REGS_H

#include <stdint.h>

#include "partition.h"

/*
 * Read or write register @name of VP @vp.  Return HVSIM_ST_OK,
 * HVSIM_ST_BAD_REG (unknown register, write to a read-only one) or
 * HVSIM_ST_BAD_VALUE (reserved bits, refused value).  @guest_tsc is the
 * guest's TSC at the time of the request, 0 if unknown (TIME_REF_COUNT is
 * the reference time of that moment; REFERENCE_TSC uses it as a fallback).
 */
int reg_get(struct partition *p, unsigned int vp, uint32_t name, uint64_t *val,
	    uint64_t guest_tsc);
int reg_set(struct partition *p, unsigned int vp, uint32_t name, uint64_t val,
	    uint64_t guest_tsc);

#endif /* HVHOST_REGS_H */
