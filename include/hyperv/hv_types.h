/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Fixed-width little-endian types and compile-time checks shared by the
 * kernel modules and the user-space programs (hvhost, daemons, tests).
 *
 * Wire structs use __le16/__le32/__le64 so that sparse (C=2, __CHECKER__)
 * catches a missing byte-order conversion in the kernel; in user space the
 * same names come from <linux/types.h> as plain integers.
 */
#ifndef _HYPERV_HV_TYPES_H
#define _HYPERV_HV_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#else
#include <linux/types.h>
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#endif

/* Size and offset assertions: the reason goes in the message. */
#define HV_ASSERT_SIZE(type, size) \
	static_assert(sizeof(type) == (size), #type " wire size")
#define HV_ASSERT_OFFSET(type, member, off) \
	static_assert(offsetof(type, member) == (off), #type "." #member " offset")

#endif /* _HYPERV_HV_TYPES_H */
