/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Hyper-V Top Level Functional Specification (TLFS): the hypervisor formats a
 * guest and a host emulator share.  Wire and register formats only: no
 * kernel objects, no driver API (those live in include/hv/).
 *
 * Sources: the TLFS, checked against Linux include/hyperv/hvgdk_mini.h.
 * All multi-byte fields are little-endian; a Hyper-V page is 4096 bytes
 * whatever the guest's page size.
 *
 * Register naming: the canonical name of a synthetic register is its TLFS
 * register name (HV_REG_*, the value HvCallGet/SetVpRegisters take, used on
 * arm64 and valid on x86 too).  The x86 MSR numbers (HV_X64_MSR_*) are what
 * the x86 backend maps them to.  Bit layouts are the same on both.
 */
#ifndef _HYPERV_TLFS_H
#define _HYPERV_TLFS_H

#include <hyperv/hv_types.h>

#define HV_PAGE_SHIFT			12
#define HV_PAGE_SIZE			(1U << HV_PAGE_SHIFT)
#define HV_PAGE_MASK			(~((__u64)HV_PAGE_SIZE - 1))

/* ---------------------------------------------------------------------- */
/* CPUID leaves (x86).  On arm64 the same words are read as registers.      */
/* ---------------------------------------------------------------------- */

#define HV_CPUID_VENDOR_MAX		0x40000000 /* EAX max leaf, EBX:ECX:EDX vendor */
#define HV_CPUID_INTERFACE		0x40000001 /* EAX = HV_CPUID_SIGNATURE_HV1 */
#define HV_CPUID_VERSION		0x40000002
#define HV_CPUID_FEATURES		0x40000003 /* EAX:EBX privileges, ECX pm, EDX misc */
#define HV_CPUID_RECOMMENDATIONS	0x40000004
#define HV_CPUID_LIMITS			0x40000005 /* EAX max VPs, EBX max LPs */
#define HV_CPUID_HW_FEATURES		0x40000006

#define HV_CPUID_MIN_MAX_LEAF		0x40000005
#define HV_CPUID_MAX_MAX_LEAF		0x4000ffff

/* "Microsoft Hv" as three little-endian dwords (EBX, ECX, EDX). */
#define HV_CPUID_VENDOR_EBX		0x7263694d
#define HV_CPUID_VENDOR_ECX		0x666f736f
#define HV_CPUID_VENDOR_EDX		0x76482074
#define HV_CPUID_SIGNATURE_HV1		0x31237648 /* "Hv#1" */

/*
 * Partition privilege mask (64 bits: CPUID 0x40000003 EAX = bits 31:0,
 * EBX = bits 63:32; arm64 register 0x200 dwords a, b).
 */
#define HV_PRIV_VP_RUNTIME		(1ULL << 0)
#define HV_PRIV_TIME_REF_COUNT		(1ULL << 1)
#define HV_PRIV_SYNIC			(1ULL << 2)
#define HV_PRIV_SYNTIMER		(1ULL << 3)
#define HV_PRIV_APIC			(1ULL << 4)
#define HV_PRIV_HYPERCALL		(1ULL << 5)  /* mandatory */
#define HV_PRIV_VP_INDEX		(1ULL << 6)  /* mandatory */
#define HV_PRIV_RESET			(1ULL << 7)
#define HV_PRIV_STATS			(1ULL << 8)
#define HV_PRIV_REFERENCE_TSC		(1ULL << 9)
#define HV_PRIV_GUEST_IDLE		(1ULL << 10)
#define HV_PRIV_FREQUENCY		(1ULL << 11)
#define HV_PRIV_DEBUG			(1ULL << 12)
#define HV_PRIV_REENLIGHTENMENT		(1ULL << 13)
#define HV_PRIV_POST_MESSAGES		(1ULL << 36)
#define HV_PRIV_SIGNAL_EVENTS		(1ULL << 37)
#define HV_PRIV_FAST_OUTPUT		(1ULL << 51)
#define HV_PRIV_EXT_HYPERCALLS		(1ULL << 52)

/* Misc features, x86 layout (CPUID 0x40000003 EDX).  arm64 moves some. */
#define HV_MISC_XMM_FAST_INPUT		(1U << 4)
#define HV_MISC_GUEST_IDLE		(1U << 5)
#define HV_MISC_FREQUENCY_MSRS		(1U << 8)
#define HV_MISC_CRASH_MSRS		(1U << 10)
#define HV_MISC_XMM_FAST_OUTPUT		(1U << 15)
#define HV_MISC_STIMER_DIRECT		(1U << 19)
#define HV_ARM64_MISC_CRASH_REGS	(1U << 8)
#define HV_ARM64_MISC_STIMER_DIRECT	(1U << 13)

/* Recommendations (CPUID 0x40000004 EAX, x86 layout). */
#define HV_RECOMMEND_RESET		(1U << 4)
#define HV_RECOMMEND_RELAXED_TIMING	(1U << 5)
#define HV_RECOMMEND_X2APIC_MSRS	(1U << 8)
#define HV_RECOMMEND_NO_AUTO_EOI	(1U << 9)  /* AutoEOI deprecated */

/* ---------------------------------------------------------------------- */
/* Synthetic registers                                                     */
/* ---------------------------------------------------------------------- */

/* TLFS register names (HvCallGet/SetVpRegisters; arm64 native). */
#define HV_REG_GUEST_CRASH_P0		0x00000210 /* P0..P4 = 0x210..0x214 */
#define HV_REG_GUEST_CRASH_CTL		0x00000215
#define HV_REG_VP_RUNTIME		0x00090000
#define HV_REG_GUEST_OS_ID		0x00090002
#define HV_REG_VP_INDEX			0x00090003
#define HV_REG_TIME_REF_COUNT		0x00090004
#define HV_REG_VP_ASSIST_PAGE		0x00090013
#define HV_REG_REFERENCE_TSC		0x00090017
#define HV_REG_SINT0			0x000a0000 /* SINT0..15 = 0xa0000..0xa000f */
#define HV_REG_SCONTROL			0x000a0010
#define HV_REG_SVERSION			0x000a0011
#define HV_REG_SIEFP			0x000a0012
#define HV_REG_SIMP			0x000a0013
#define HV_REG_EOM			0x000a0014
#define HV_REG_STIMER0_CONFIG		0x000b0000 /* STIMERn: 0xb0000 + 2n (+1 count) */
#define HV_REG_STIMER0_COUNT		0x000b0001
/*
 * No TLFS register name: the hypercall page and reset are x86 MSRs only
 * (arm64 uses SMCCC and PSCI).  These private names let the platform
 * interface carry them; they are outside every range the TLFS assigns.
 */
#define HV_REG_X64_HYPERCALL		0xf0000001
#define HV_REG_X64_RESET		0xf0000003

#define HV_REG_SINT(n)			(HV_REG_SINT0 + (n))
#define HV_REG_CRASH_P(n)		(HV_REG_GUEST_CRASH_P0 + (n))
#define HV_REG_STIMER_CONFIG(n)		(HV_REG_STIMER0_CONFIG + 2 * (n))
#define HV_REG_STIMER_COUNT(n)		(HV_REG_STIMER0_COUNT + 2 * (n))

/* The same registers as x86 MSRs. */
#define HV_X64_MSR_GUEST_OS_ID		0x40000000
#define HV_X64_MSR_HYPERCALL		0x40000001
#define HV_X64_MSR_VP_INDEX		0x40000002
#define HV_X64_MSR_RESET		0x40000003
#define HV_X64_MSR_VP_RUNTIME		0x40000010
#define HV_X64_MSR_TIME_REF_COUNT	0x40000020
#define HV_X64_MSR_REFERENCE_TSC	0x40000021
#define HV_X64_MSR_VP_ASSIST_PAGE	0x40000073
#define HV_X64_MSR_SCONTROL		0x40000080
#define HV_X64_MSR_SVERSION		0x40000081
#define HV_X64_MSR_SIEFP		0x40000082
#define HV_X64_MSR_SIMP			0x40000083
#define HV_X64_MSR_EOM			0x40000084
#define HV_X64_MSR_SINT0		0x40000090
#define HV_X64_MSR_STIMER0_CONFIG	0x400000b0
#define HV_X64_MSR_STIMER0_COUNT	0x400000b1
#define HV_X64_MSR_CRASH_P0		0x40000100
#define HV_X64_MSR_CRASH_CTL		0x40000105

#define HV_SINT_COUNT			16
#define HV_STIMER_COUNT			4
#define HV_CRASH_PARAMS			5

/*
 * Guest OS id, open-source layout: bit 63 open source, 62:56 OS type,
 * 55:48 OS id, 47:16 version, 15:0 build.  Hosts treat it as opaque; only
 * zero vs non-zero matters (hypercalls need it non-zero).
 */
#define HV_GUEST_OS_OPEN_SOURCE		(1ULL << 63)
#define HV_GUEST_OS_TYPE_SHIFT		56
#define HV_GUEST_OS_TYPE_LINUX		1ULL
#define HV_GUEST_OS_VERSION_SHIFT	16

static inline __u64 hv_guest_os_id_linux(__u32 version_code)
{
	return HV_GUEST_OS_OPEN_SOURCE |
	       (HV_GUEST_OS_TYPE_LINUX << HV_GUEST_OS_TYPE_SHIFT) |
	       ((__u64)version_code << HV_GUEST_OS_VERSION_SHIFT);
}

/* HYPERCALL MSR: bit 0 enable, bit 1 locked, 11:2 reserved, 63:12 GPN. */
#define HV_HYPERCALL_ENABLE		(1ULL << 0)
#define HV_HYPERCALL_LOCKED		(1ULL << 1)

/* SIMP, SIEFP, REFERENCE_TSC, VP_ASSIST_PAGE: bit 0 enable, 63:12 GPN. */
#define HV_PAGE_REG_ENABLE		(1ULL << 0)
#define HV_PAGE_REG_RSVD		0xffeULL

/* SCONTROL: bit 0 enable, 63:1 preserved. */
#define HV_SCONTROL_ENABLE		(1ULL << 0)
#define HV_SVERSION_VALUE		1

/* SINTx: 7:0 vector, 16 masked, 17 auto-EOI, 18 polling. */
#define HV_SINT_VECTOR_MASK		0xffULL
#define HV_SINT_MASKED			(1ULL << 16)
#define HV_SINT_AUTO_EOI		(1ULL << 17)
#define HV_SINT_POLLING			(1ULL << 18)
#define HV_SINT_RESET_VALUE		HV_SINT_MASKED
#define HV_SINT_VECTOR_MIN		16	/* x86: 0..15 are invalid */

/* Statically assigned SINTs. */
#define HV_SINT_INTERCEPT		0
#define HV_SINT_IOMMU			1
#define HV_SINT_VMBUS			2
#define HV_SINT_FIRST_FREE		5

/* STIMERn_CONFIG. */
#define HV_STIMER_ENABLE		(1ULL << 0)
#define HV_STIMER_PERIODIC		(1ULL << 1)
#define HV_STIMER_LAZY			(1ULL << 2)
#define HV_STIMER_AUTO_ENABLE		(1ULL << 3)
#define HV_STIMER_VECTOR_SHIFT		4	/* 11:4 direct-mode vector */
#define HV_STIMER_DIRECT		(1ULL << 12)
#define HV_STIMER_SINT_SHIFT		16	/* 19:16 SINT for messages */
#define HV_STIMER_SINT_MASK		(0xfULL << HV_STIMER_SINT_SHIFT)

/* CRASH_CTL: what the guest writes; reading returns the supported bits. */
#define HV_CRASH_CTL_NOTIFY		(1ULL << 63) /* P0..P4 complete */
#define HV_CRASH_CTL_MESSAGE		(1ULL << 62) /* P3 = text GPA, P4 = length */
#define HV_CRASH_CTL_NO_DUMP		(1ULL << 61)
#define HV_CRASH_MESSAGE_MAX		HV_PAGE_SIZE

/* RESET: writing 1 resets the partition. */
#define HV_RESET_VALUE			1ULL

/* ---------------------------------------------------------------------- */
/* Reference time                                                           */
/* ---------------------------------------------------------------------- */

#define HV_REF_TIME_HZ			10000000ULL /* 100 ns units */

/*
 * Reference TSC page.  time = ((tsc * tsc_scale) >> 64) + tsc_offset,
 * valid while tsc_sequence is non-zero and unchanged across the read.
 */
struct hv_ref_tsc_page {
	__le32 tsc_sequence;		/* 0 = invalid, use TIME_REF_COUNT */
	__le32 reserved1;
	__le64 tsc_scale;		/* unsigned 64.64 fixed point */
	__le64 tsc_offset;		/* signed, 100 ns units */
	__u8 reserved2[4072];
};
HV_ASSERT_SIZE(struct hv_ref_tsc_page, HV_PAGE_SIZE);
HV_ASSERT_OFFSET(struct hv_ref_tsc_page, tsc_scale, 8);
HV_ASSERT_OFFSET(struct hv_ref_tsc_page, tsc_offset, 16);

/* ---------------------------------------------------------------------- */
/* Hypercalls                                                              */
/* ---------------------------------------------------------------------- */

/* Call codes (input value bits 15:0). */
#define HVCALL_NOTIFY_LONG_SPIN_WAIT	0x0008
#define HVCALL_GET_PARTITION_ID		0x0046
#define HVCALL_GET_VP_REGISTERS		0x0050
#define HVCALL_SET_VP_REGISTERS		0x0051
#define HVCALL_POST_MESSAGE		0x005c
#define HVCALL_SIGNAL_EVENT		0x005d
#define HVCALL_EXT_QUERY_CAPABILITIES	0x8001

/*
 * Hypercall input (control) value:
 * 15:0 code, 16 fast, 26:17 variable header size (8-byte units),
 * 30:27 reserved, 31 nested, 43:32 rep count, 47:44 reserved,
 * 59:48 rep start index, 63:60 reserved.
 */
#define HV_HC_CODE_MASK			0xffffULL
#define HV_HC_FAST			(1ULL << 16)
#define HV_HC_VARHEAD_SHIFT		17
#define HV_HC_VARHEAD_MASK		(0x3ffULL << HV_HC_VARHEAD_SHIFT)
#define HV_HC_NESTED			(1ULL << 31)
#define HV_HC_REP_COUNT_SHIFT		32
#define HV_HC_REP_COUNT_MASK		(0xfffULL << HV_HC_REP_COUNT_SHIFT)
#define HV_HC_REP_START_SHIFT		48
#define HV_HC_REP_START_MASK		(0xfffULL << HV_HC_REP_START_SHIFT)
#define HV_HC_RSVD_MASK			(0xfULL << 27 | 0xfULL << 44 | 0xfULL << 60)
#define HV_HC_REP_MAX			0xfffU
#define HV_HC_VARHEAD_MAX		0x3ffU

/* Result value: 15:0 status, 31:16 reserved, 43:32 reps completed. */
#define HV_HC_RESULT_STATUS_MASK	0xffffULL
#define HV_HC_RESULT_REPS_SHIFT		32
#define HV_HC_RESULT_REPS_MASK		(0xfffULL << HV_HC_RESULT_REPS_SHIFT)

/* Compose a control value.  Fields wider than their slot are truncated. */
static inline __u64 hv_hc_control(__u16 code, int fast, __u32 varhead_qwords,
				  __u32 rep_count, __u32 rep_start)
{
	return (__u64)code |
	       (fast ? HV_HC_FAST : 0) |
	       (((__u64)varhead_qwords << HV_HC_VARHEAD_SHIFT) & HV_HC_VARHEAD_MASK) |
	       (((__u64)rep_count << HV_HC_REP_COUNT_SHIFT) & HV_HC_REP_COUNT_MASK) |
	       (((__u64)rep_start << HV_HC_REP_START_SHIFT) & HV_HC_REP_START_MASK);
}

static inline __u16 hv_hc_code(__u64 control)
{
	return (__u16)(control & HV_HC_CODE_MASK);
}

static inline int hv_hc_is_fast(__u64 control)
{
	return !!(control & HV_HC_FAST);
}

static inline __u32 hv_hc_varhead(__u64 control)
{
	return (__u32)((control & HV_HC_VARHEAD_MASK) >> HV_HC_VARHEAD_SHIFT);
}

static inline __u32 hv_hc_rep_count(__u64 control)
{
	return (__u32)((control & HV_HC_REP_COUNT_MASK) >> HV_HC_REP_COUNT_SHIFT);
}

static inline __u32 hv_hc_rep_start(__u64 control)
{
	return (__u32)((control & HV_HC_REP_START_MASK) >> HV_HC_REP_START_SHIFT);
}

static inline __u64 hv_hc_result(__u16 status, __u32 reps_completed)
{
	return (__u64)status |
	       (((__u64)reps_completed << HV_HC_RESULT_REPS_SHIFT) & HV_HC_RESULT_REPS_MASK);
}

static inline __u16 hv_hc_result_status(__u64 result)
{
	return (__u16)(result & HV_HC_RESULT_STATUS_MASK);
}

static inline __u32 hv_hc_result_reps(__u64 result)
{
	return (__u32)((result & HV_HC_RESULT_REPS_MASK) >> HV_HC_RESULT_REPS_SHIFT);
}

/* Hypercall status codes (result bits 15:0). */
#define HV_STATUS_SUCCESS			0x0000
#define HV_STATUS_INVALID_HYPERCALL_CODE	0x0002
#define HV_STATUS_INVALID_HYPERCALL_INPUT	0x0003
#define HV_STATUS_INVALID_ALIGNMENT		0x0004
#define HV_STATUS_INVALID_PARAMETER		0x0005
#define HV_STATUS_ACCESS_DENIED			0x0006
#define HV_STATUS_INVALID_PARTITION_STATE	0x0007
#define HV_STATUS_OPERATION_DENIED		0x0008
#define HV_STATUS_UNKNOWN_PROPERTY		0x0009
#define HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE	0x000a
#define HV_STATUS_INSUFFICIENT_MEMORY		0x000b
#define HV_STATUS_INVALID_PARTITION_ID		0x000d
#define HV_STATUS_INVALID_VP_INDEX		0x000e
#define HV_STATUS_NOT_FOUND			0x0010
#define HV_STATUS_INVALID_PORT_ID		0x0011
#define HV_STATUS_INVALID_CONNECTION_ID		0x0012
#define HV_STATUS_INSUFFICIENT_BUFFERS		0x0013
#define HV_STATUS_NOT_ACKNOWLEDGED		0x0014
#define HV_STATUS_INVALID_VP_STATE		0x0015
#define HV_STATUS_ACKNOWLEDGED			0x0016
#define HV_STATUS_INVALID_SYNIC_STATE		0x0018
#define HV_STATUS_OBJECT_IN_USE			0x0019
#define HV_STATUS_NO_DATA			0x001b
#define HV_STATUS_INACTIVE			0x001c
#define HV_STATUS_NO_RESOURCES			0x001d
#define HV_STATUS_FEATURE_UNAVAILABLE		0x001e
#define HV_STATUS_INSUFFICIENT_BUFFER		0x0033
#define HV_STATUS_INVALID_REGISTER_VALUE	0x0050
#define HV_STATUS_OPERATION_FAILED		0x0071
#define HV_STATUS_TIME_OUT			0x0078
#define HV_STATUS_CALL_PENDING			0x0079
#define HV_STATUS_UNKNOWN_REGISTER_NAME		0x0087

/* Memory-based input and output: 8-byte aligned, within one page. */
#define HV_HYPERCALL_ALIGN		8

/* HvCallPostMessage input (256 bytes, no output). */
#define HV_MESSAGE_PAYLOAD_MAX		240
#define HV_CONNECTION_ID_MASK		0x00ffffffU

struct hv_input_post_message {
	__le32 connection_id;		/* 23:0 id, 31:24 reserved */
	__le32 reserved;
	__le32 message_type;		/* HVMSG_*: non-zero, bit 31 clear */
	__le32 payload_size;		/* bytes, <= HV_MESSAGE_PAYLOAD_MAX */
	__u8 payload[HV_MESSAGE_PAYLOAD_MAX];
};
HV_ASSERT_SIZE(struct hv_input_post_message, 256);
HV_ASSERT_OFFSET(struct hv_input_post_message, payload, 16);

/* HvCallSignalEvent input (8 bytes; the fast form passes it in one register). */
struct hv_input_signal_event {
	__le32 connection_id;
	__le16 flag_number;
	__le16 reserved;
};
HV_ASSERT_SIZE(struct hv_input_signal_event, 8);

static inline __u64 hv_signal_event_fast_input(__u32 connection_id, __u16 flag)
{
	return (__u64)connection_id | ((__u64)flag << 32);
}

/* HvCallGet/SetVpRegisters common header. */
#define HV_PARTITION_ID_SELF		0xffffffffffffffffULL
#define HV_VP_INDEX_SELF		0xfffffffeU

struct hv_input_vp_registers_header {
	__le64 partition_id;
	__le32 vp_index;
	__u8 input_vtl;
	__u8 reserved[3];
};
HV_ASSERT_SIZE(struct hv_input_vp_registers_header, 16);

/* ---------------------------------------------------------------------- */
/* SynIC message page (SIMP) and event flags page (SIEFP)                  */
/* ---------------------------------------------------------------------- */

/* Hypervisor message types (slot header). */
#define HVMSG_NONE			0x00000000 /* slot free */
#define HVMSG_CHANNEL			0x00000001 /* VMBus; posted messages */
#define HVMSG_TIMER_EXPIRED		0x80000010
#define HVMSG_TYPE_HYPERVISOR_BIT	0x80000000U /* reserved for the hypervisor */

#define HV_MESSAGE_FLAG_PENDING		0x01

struct hv_message_header {
	__le32 message_type;		/* HVMSG_* */
	__u8 payload_size;		/* bytes, <= HV_MESSAGE_PAYLOAD_MAX */
	__u8 message_flags;		/* HV_MESSAGE_FLAG_* */
	__u8 reserved[2];
	__le64 sender;			/* port id (23:0) for posted messages */
};
HV_ASSERT_SIZE(struct hv_message_header, 16);

/* One message slot: SIMP holds one per SINT, slot n at byte n * 256. */
struct hv_message {
	struct hv_message_header header;
	__u8 payload[HV_MESSAGE_PAYLOAD_MAX];
};
HV_ASSERT_SIZE(struct hv_message, 256);

struct hv_message_page {
	struct hv_message slot[HV_SINT_COUNT];
};
HV_ASSERT_SIZE(struct hv_message_page, HV_PAGE_SIZE);

/* Timer-expired message payload (message-mode synthetic timers). */
struct hv_timer_message_payload {
	__le32 timer_index;
	__le32 reserved;
	__le64 expiration_time;		/* 100 ns reference time */
	__le64 delivery_time;		/* 100 ns reference time */
};
HV_ASSERT_SIZE(struct hv_timer_message_payload, 24);

/*
 * Event flags page: 16 areas of 2048 flag bits, SINT n's area at byte
 * n * 256.  Flag f is bit (f % 8) of byte f / 8 of the area: an ordinary
 * little-endian bitmap, so it may be scanned as little-endian words.
 */
#define HV_EVENT_FLAGS_COUNT		2048
#define HV_EVENT_FLAGS_BYTES		(HV_EVENT_FLAGS_COUNT / 8)

struct hv_event_flags {
	__u8 flags[HV_EVENT_FLAGS_BYTES];
};
HV_ASSERT_SIZE(struct hv_event_flags, 256);

struct hv_event_flags_page {
	struct hv_event_flags sint[HV_SINT_COUNT];
};
HV_ASSERT_SIZE(struct hv_event_flags_page, HV_PAGE_SIZE);

#endif /* _HYPERV_TLFS_H */
