/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The sim transport: how the guest's arch/sim backend (hv_sim.ko) reaches
 * hvhost through QEMU's ivshmem-doorbell device (PCI 1af4:1110).
 *
 * BAR2 is a shared-memory object created by hvhost (HVSIM_SHM_SIZE bytes):
 *
 *   0x0000  struct hvsim_shm_header (one page, written by the host before
 *           QEMU starts, read-only for the guest)
 *   0x1000  struct hvsim_mailbox for VP 0, then VP 1, ... (one page each)
 *
 * VP index == Linux CPU number == mailbox index == MSI-X vector == doorbell
 * vector.  The guest performs every synchronous operation (hypercall,
 * register read/write, host-control command) in the mailbox of the CPU it
 * runs on, with local interrupts disabled for the whole transaction:
 *
 *   guest: fill op, args, guest_tsc (and text for HOSTCTL)
 *          store-release req_seq = req_seq + 1
 *          write BAR0 Doorbell = (HVSIM_HOST_PEER << 16) | vp
 *          spin until load-acquire done_seq == req_seq (bounded)
 *          read status, ret[] (and text)
 *   host:  on any doorbell of vector vp (doorbells coalesce, they are only
 *          hints): if load-acquire req_seq != done_seq, read the request,
 *          execute it, write status, ret[], text,
 *          store-release done_seq = req_seq
 *
 * A guest that times out must stop using the transport: the host may still
 * be reading the request, so reusing the mailbox could hand it a torn one.
 *
 * Host-to-guest interrupts: the host signals MSI-X vector vp, which the
 * guest binds to CPU vp.  Like doorbells they coalesce; all state lives in
 * the SynIC pages in guest RAM.
 *
 * GPAs in requests (hypercall input/output pages) address guest RAM, which
 * hvhost maps from the same memory-backend file; hvhost bounds-checks every
 * one of them.
 */
#ifndef _HYPERV_HVSIM_H
#define _HYPERV_HVSIM_H

#include <hyperv/hv_types.h>

#define HVSIM_PCI_VENDOR		0x1af4
#define HVSIM_PCI_DEVICE		0x1110	/* ivshmem (doorbell variant) */
#define HVSIM_PCI_BAR_REGS		0
#define HVSIM_PCI_BAR_SHM		2

/* ivshmem BAR0 registers. */
#define HVSIM_REG_INTR_MASK		0x00
#define HVSIM_REG_INTR_STATUS		0x04
#define HVSIM_REG_IV_POSITION		0x08
#define HVSIM_REG_DOORBELL		0x0c
#define HVSIM_HOST_PEER			0	/* hvhost's ivshmem peer id */

#define HVSIM_MAGIC			0x4d495356	/* "VSIM" */
#define HVSIM_ABI_VERSION		1
#define HVSIM_MAX_VPS			64
#define HVSIM_MAILBOX_OFFSET		0x1000
#define HVSIM_MAILBOX_SIZE		0x1000
#define HVSIM_SHM_SIZE			0x80000	/* power of two, holds 64 VPs */
#define HVSIM_TEXT_MAX			3840	/* HOSTCTL command/answer */

/*
 * Shared-memory header.  The feature words use the x86 CPUID layout
 * (tlfs.h HV_PRIV_*, HV_MISC_*, HV_RECOMMEND_*): the sim platform's
 * equivalent of CPUID leaves 0x40000003..5.
 */
struct hvsim_shm_header {
	__le32 magic;			/* HVSIM_MAGIC */
	__le32 abi_version;		/* HVSIM_ABI_VERSION */
	__le32 nr_vps;			/* vCPUs hvhost started QEMU with */
	__le32 mailbox_offset;		/* HVSIM_MAILBOX_OFFSET */
	__le32 mailbox_size;		/* HVSIM_MAILBOX_SIZE */
	__le32 reserved0;
	__le64 ram_size;		/* bytes of guest RAM (GPA 0..ram_size) */
	__le64 privileges;		/* HV_PRIV_* (CPUID 0x40000003 EBX:EAX) */
	__le32 misc_features;		/* HV_MISC_* (CPUID 0x40000003 EDX) */
	__le32 recommendations;		/* HV_RECOMMEND_* (CPUID 0x40000004 EAX) */
	__le32 max_vps;			/* CPUID 0x40000005 EAX */
	__le32 hv_version_build;	/* CPUID 0x40000002 EAX */
	__le32 hv_version_major_minor;	/* CPUID 0x40000002 EBX */
	__le32 reserved1;
	__u8 host_name[32];		/* NUL-terminated, e.g. "hvhost 0.1" */
	__u8 reserved2[4000];
};
HV_ASSERT_SIZE(struct hvsim_shm_header, HVSIM_MAILBOX_OFFSET);
HV_ASSERT_OFFSET(struct hvsim_shm_header, privileges, 32);
HV_ASSERT_OFFSET(struct hvsim_shm_header, host_name, 64);

/* Mailbox operations (op). */
enum hvsim_op {
	HVSIM_OP_NONE = 0,
	HVSIM_OP_HYPERCALL = 1,		/* arg0 control, arg1 input GPA, arg2 output GPA */
	HVSIM_OP_FAST_HYPERCALL = 2,	/* arg0 control, arg1 input qword 0, arg2 qword 1 */
	HVSIM_OP_GET_REG = 3,		/* arg0 HV_REG_* name; ret1 = value */
	HVSIM_OP_SET_REG = 4,		/* arg0 HV_REG_* name, arg1 value */
	HVSIM_OP_HOSTCTL = 5,		/* text[text_len] command; answer in text;
					 * ret0 = 0 done, 1 refused (text says why)
					 */
};

/*
 * Transport status (status).  Hypercall failures are not transport errors:
 * they come back as HVSIM_ST_OK with the TLFS status in ret0.
 */
enum hvsim_status {
	HVSIM_ST_OK = 0,
	HVSIM_ST_BAD_OP = 1,		/* unknown op */
	HVSIM_ST_BAD_REG = 2,		/* unknown register, or a write to a read-only one (x86: #GP) */
	HVSIM_ST_BAD_VALUE = 3,		/* reserved bits set or value refused (x86: #GP) */
	HVSIM_ST_BAD_TEXT = 4,		/* HOSTCTL text_len out of range */
};

struct hvsim_mailbox {
	__le32 req_seq;			/* guest-owned; written last (release) */
	__le32 done_seq;		/* host-owned; written last (release) */
	__le32 op;			/* enum hvsim_op */
	__le32 status;			/* enum hvsim_status (host) */
	__le64 arg[3];			/* op arguments (guest) */
	__le64 ret[2];			/* ret0 hypercall result value; ret1 register value (host) */
	__le64 guest_tsc;		/* guest TSC when the request was made (guest) */
	__le32 text_len;		/* HOSTCTL: command length (guest), answer length (host) */
	__le32 reserved0;
	__u8 reserved1[184];
	char text[HVSIM_TEXT_MAX];	/* HOSTCTL command and answer, not NUL-terminated */
};
HV_ASSERT_SIZE(struct hvsim_mailbox, HVSIM_MAILBOX_SIZE);
HV_ASSERT_OFFSET(struct hvsim_mailbox, arg, 16);
HV_ASSERT_OFFSET(struct hvsim_mailbox, ret, 40);
HV_ASSERT_OFFSET(struct hvsim_mailbox, text, 256);
static_assert(HVSIM_MAILBOX_OFFSET + HVSIM_MAX_VPS * HVSIM_MAILBOX_SIZE <= HVSIM_SHM_SIZE,
	      "mailboxes fit in the shared memory object");

/*
 * Test-only synthetic services of hvhost (not part of Hyper-V), used to
 * exercise the SynIC before VMBus exists.
 *
 * Echo: an HvCallPostMessage to HVSIM_ECHO_CONNECTION_ID is answered by a
 * SynIC message with the same message type and payload, queued to SINT
 * HVSIM_ECHO_SINT of the sending VP.  The post fails with
 * INVALID_SYNIC_STATE when that SINT cannot take messages (SynIC, SIMP
 * disabled or the SINT masked).
 *
 * Event: an HvCallSignalEvent to HVSIM_EVENT_CONNECTION_ID with flag number
 * f sets flag f in SINT HVSIM_ECHO_SINT's area of the sending VP's event
 * flags page and raises the SINT.  f >= HV_EVENT_FLAGS_COUNT is
 * INVALID_PARAMETER; a disabled SIEFP or masked SINT is INVALID_SYNIC_STATE.
 */
#define HVSIM_ECHO_CONNECTION_ID	0x7ec0
#define HVSIM_EVENT_CONNECTION_ID	0x7ec1
#define HVSIM_ECHO_SINT			5

#endif /* _HYPERV_HVSIM_H */
