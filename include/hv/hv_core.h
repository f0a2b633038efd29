/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_common core API: what the modules above (hv_vmbus, tests) use.
 * Exported symbols carry the hvcore_ prefix: the running kernel's vmlinux
 * already exports many hv_* names (its Module.symvers, which
 * scripts/check-symbols.sh checks ours against).
 */
#ifndef _HV_HV_CORE_H
#define _HV_HV_CORE_H

#include <linux/types.h>
#include <hyperv/tlfs.h>
#include <hv/hv_platform.h>

/* True while a platform is registered and the SynIC is up. */
bool hvcore_platform_ready(void);

/*
 * VP index of @cpu as read from HV_REG_VP_INDEX when the CPU came online;
 * U32_MAX for a CPU that never came online under the current platform.
 */
u32 hvcore_vp_index(unsigned int cpu);

/* Map a TLFS hypercall status to a kernel errno (0 for SUCCESS). */
int hvcore_status_to_errno(u16 status);

/*
 * Raw hypercalls through the platform, for callers that build their own
 * input (tests, rare calls).  Return the TLFS result value.  -ENODEV-style
 * failures (no platform) come back as HV_STATUS_INACTIVE.
 */
u64 hvcore_hypercall(u64 control, u64 in_gpa, u64 out_gpa);
u64 hvcore_fast_hypercall(u64 control, u64 in0, u64 in1);

/*
 * HvCallPostMessage through this CPU's input page.  @len <= 240.
 * Returns 0 or a negative errno; the TLFS status goes to *@status when
 * @status is not NULL.  Failures are logged, rate-limited.
 * Any context; does not sleep.
 */
int hvcore_post_message(u32 connection_id, u32 message_type,
			const void *payload, u32 len, u16 *status);

/*
 * hvcore_post_message(), except that a failure with TLFS status @quiet is
 * not logged: for a status the caller expects and handles (hv_vmbus
 * probing connection 4 on a host older than VMBus 5.0 gets
 * INVALID_CONNECTION_ID).  Other failures are logged as usual.
 */
int hvcore_post_message_quiet(u32 connection_id, u32 message_type,
			      const void *payload, u32 len, u16 *status, u16 quiet);

/* HvCallSignalEvent (fast form).  Same contract as hvcore_post_message(). */
int hvcore_signal_event(u32 connection_id, u16 flag_number, u16 *status);

/* Synthetic register access on the calling CPU's VP. */
int hvcore_get_register(u32 name, u64 *val);
int hvcore_set_register(u32 name, u64 val);

/*
 * Partition reference time in 100 ns units: from the reference TSC page
 * when the host provides a valid one, else from HV_REG_TIME_REF_COUNT.
 * Returns 0 if neither is available.
 */
u64 hvcore_read_ref_time(void);

/*
 * SINT clients.  A client claims one SINT (HV_SINT_VMBUS for hv_vmbus,
 * HV_SINT_FIRST_FREE.. for others); hv_common then unmasks it on every
 * online CPU (and on CPUs coming online) with the platform's vector.
 *
 * @message: a message arrived in the SINT's slot.  Called in hard interrupt
 *	context on the CPU that received it, with a private copy: the slot has
 *	already been freed and EOM written when needed.  @msg is valid only
 *	during the call.  The payload_size has been checked (<= 240); the
 *	payload itself is untrusted.
 * @events: flags were set in the SINT's event-flags area.  Called in hard
 *	interrupt context with a snapshot bitmap of HV_EVENT_FLAGS_COUNT bits
 *	(the flags were atomically cleared in the shared page).
 * @ctx: passed back to both callbacks.
 */
struct hvcore_sint_client {
	void (*message)(unsigned int sint, const struct hv_message *msg, void *ctx);
	void (*events)(unsigned int sint, const unsigned long *flags, void *ctx);
	void *ctx;
};

/*
 * Claim @sint.  Returns -ENODEV without a platform, -EBUSY if claimed,
 * -EINVAL for SINTs 0, 1 and >= 16 or a client without callbacks.  The
 * client struct is copied: it may live on the caller's stack.  If the
 * platform unregisters while the SINT is claimed, the client is detached
 * (with a warning) and receives nothing more; hvcore_sint_unregister() is
 * then a no-op.  Process context (sleeps).
 */
int hvcore_sint_register(unsigned int sint, const struct hvcore_sint_client *client);

/*
 * Release @sint: masked on every CPU; on return no callback of the client
 * is running or will run.  Process context (sleeps).
 */
void hvcore_sint_unregister(unsigned int sint);

/*
 * Take the message waiting in @sint's slot of @cpu's SynIC without an
 * interrupt, for paths where none can come (panic: interrupts off, other
 * CPUs stopped; kexec).  The message is copied to @msg and the slot
 * freed; when @cpu is the calling CPU, EOM is also written if the host
 * flagged more pending.  Use another CPU only when it takes no interrupts
 * (stopped or offline), or its ISR may take the same message.  The SINT's
 * client callback is not called.
 *
 * Returns 1 (a message in @msg), 0 (slot empty), -ENODEV (no SynIC on
 * @cpu), -EBADMSG (a malformed message, dropped) or -EINVAL.  Any
 * context, panic included; call with preemption disabled.  Never
 * sleeps, takes no lock.
 */
int hvcore_poll_message(unsigned int cpu, unsigned int sint, struct hv_message *msg);

#endif /* _HV_HV_CORE_H */
