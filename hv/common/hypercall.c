// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls through the registered platform: raw calls, HvCallPostMessage
 * and HvCallSignalEvent, and the status -> errno mapping.
 *
 * Every call holds rcu_read_lock() across its use of the platform, so
 * hvcore_unregister_platform() (which withdraws hvc_active and waits for a
 * grace period) never pulls the platform from under a caller.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/irqflags.h>
#include <linux/string.h>

#include "hv_common.h"

/* The mapping the tests rely on; anything not listed is -EIO. */
int hvcore_status_to_errno(u16 status)
{
	switch (status) {
	case HV_STATUS_SUCCESS:
		return 0;
	case HV_STATUS_INVALID_HYPERCALL_CODE:
		return -EOPNOTSUPP;
	case HV_STATUS_INVALID_HYPERCALL_INPUT:
	case HV_STATUS_INVALID_ALIGNMENT:
	case HV_STATUS_INVALID_PARAMETER:
	case HV_STATUS_INVALID_VP_INDEX:
		return -EINVAL;
	case HV_STATUS_ACCESS_DENIED:
		return -EACCES;
	case HV_STATUS_INSUFFICIENT_MEMORY:
		return -ENOMEM;
	case HV_STATUS_INVALID_PORT_ID:
	case HV_STATUS_INVALID_CONNECTION_ID:
		return -ENXIO;
	case HV_STATUS_INSUFFICIENT_BUFFERS:
		return -ENOBUFS;
	case HV_STATUS_INVALID_SYNIC_STATE:
		return -EIO;
	case HV_STATUS_TIME_OUT:
		return -ETIMEDOUT;
	case HV_STATUS_INACTIVE:
		return -ENODEV;
	default:
		return -EIO;
	}
}
EXPORT_SYMBOL_GPL(hvcore_status_to_errno);

#define HVC_STATUS(name)	{ HV_STATUS_##name, #name }

static const struct {
	u16 status;
	const char *name;
} hvc_status_names[] = {
	HVC_STATUS(SUCCESS),
	HVC_STATUS(INVALID_HYPERCALL_CODE),
	HVC_STATUS(INVALID_HYPERCALL_INPUT),
	HVC_STATUS(INVALID_ALIGNMENT),
	HVC_STATUS(INVALID_PARAMETER),
	HVC_STATUS(ACCESS_DENIED),
	HVC_STATUS(INVALID_PARTITION_STATE),
	HVC_STATUS(OPERATION_DENIED),
	HVC_STATUS(INSUFFICIENT_MEMORY),
	HVC_STATUS(INVALID_VP_INDEX),
	HVC_STATUS(INVALID_PORT_ID),
	HVC_STATUS(INVALID_CONNECTION_ID),
	HVC_STATUS(INSUFFICIENT_BUFFERS),
	HVC_STATUS(INVALID_SYNIC_STATE),
	HVC_STATUS(OBJECT_IN_USE),
	HVC_STATUS(INACTIVE),
	HVC_STATUS(TIME_OUT),
};

/* For log messages. */
static const char *hvc_status_name(u16 status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvc_status_names); i++)
		if (hvc_status_names[i].status == status)
			return hvc_status_names[i].name;
	return "UNKNOWN";
}

static u64 hvc_result_inactive(void)
{
	return hv_hc_result(HV_STATUS_INACTIVE, 0);
}

u64 hvcore_hypercall(u64 control, u64 in_gpa, u64 out_gpa)
{
	const struct hv_platform *p;
	u64 result;

	rcu_read_lock();
	p = rcu_dereference(hvc_active);
	result = p ? p->hypercall(control, in_gpa, out_gpa) : hvc_result_inactive();
	rcu_read_unlock();
	return result;
}
EXPORT_SYMBOL_GPL(hvcore_hypercall);

/* Sets the fast bit: the inputs are values, never to be taken as GPAs. */
u64 hvcore_fast_hypercall(u64 control, u64 in0, u64 in1)
{
	const struct hv_platform *p;
	u64 result;

	rcu_read_lock();
	p = rcu_dereference(hvc_active);
	result = p ? p->fast_hypercall(control | HV_HC_FAST, in0, in1) :
		     hvc_result_inactive();
	rcu_read_unlock();
	return result;
}
EXPORT_SYMBOL_GPL(hvcore_fast_hypercall);

static int hvc_status_out(u16 hv_status, u16 *status)
{
	if (status)
		*status = hv_status;
	return hvcore_status_to_errno(hv_status);
}

/*
 * With @len > HV_MESSAGE_PAYLOAD_MAX nothing is sent: -EINVAL, and
 * *@status reads INVALID_PARAMETER, what the hypervisor would answer.
 */
static int hvc_post(u32 connection_id, u32 message_type, const void *payload,
		    u32 len, u16 *status, u16 quiet)
{
	struct hv_input_post_message *in;
	const struct hv_platform *p;
	unsigned long flags;
	u16 hv_status;
	u64 result;

	if (len > HV_MESSAGE_PAYLOAD_MAX || (len && !payload))
		return hvc_status_out(HV_STATUS_INVALID_PARAMETER, status);

	rcu_read_lock();
	p = rcu_dereference(hvc_active);
	if (!p) {
		result = hvc_result_inactive();
		goto out;
	}

	/* This CPU's input page is ours until interrupts are on again. */
	local_irq_save(flags);
	in = this_cpu_read(hvc_cpu.hc_in);
	in->connection_id = cpu_to_le32(connection_id);
	in->reserved = 0;
	in->message_type = cpu_to_le32(message_type);
	in->payload_size = cpu_to_le32(len);
	memcpy(in->payload, payload, len);
	/* Nothing of an earlier message goes out with this one. */
	memset(in->payload + len, 0, HV_MESSAGE_PAYLOAD_MAX - len);
	result = p->hypercall(hv_hc_control(HVCALL_POST_MESSAGE, 0, 0, 0, 0),
			      this_cpu_read(hvc_cpu.hc_in_gpa), 0);
	local_irq_restore(flags);
out:
	rcu_read_unlock();

	hv_status = hv_hc_result_status(result);
	if (hv_status != HV_STATUS_SUCCESS && hv_status != quiet)
		pr_err_ratelimited("post message to connection 0x%x failed: %s (0x%x)\n",
				   connection_id, hvc_status_name(hv_status), hv_status);
	return hvc_status_out(hv_status, status);
}

int hvcore_post_message(u32 connection_id, u32 message_type,
			const void *payload, u32 len, u16 *status)
{
	return hvc_post(connection_id, message_type, payload, len, status,
			HV_STATUS_SUCCESS);
}
EXPORT_SYMBOL_GPL(hvcore_post_message);

int hvcore_post_message_quiet(u32 connection_id, u32 message_type,
			      const void *payload, u32 len, u16 *status, u16 quiet)
{
	return hvc_post(connection_id, message_type, payload, len, status, quiet);
}
EXPORT_SYMBOL_GPL(hvcore_post_message_quiet);

int hvcore_signal_event(u32 connection_id, u16 flag_number, u16 *status)
{
	u64 control = hv_hc_control(HVCALL_SIGNAL_EVENT, 1, 0, 0, 0);
	u16 hv_status;
	u64 result;

	result = hvcore_fast_hypercall(control,
				       hv_signal_event_fast_input(connection_id, flag_number),
				       0);
	hv_status = hv_hc_result_status(result);
	if (hv_status != HV_STATUS_SUCCESS)
		pr_err_ratelimited("signal event on connection 0x%x flag %u failed: %s (0x%x)\n",
				   connection_id, flag_number,
				   hvc_status_name(hv_status), hv_status);
	return hvc_status_out(hv_status, status);
}
EXPORT_SYMBOL_GPL(hvcore_signal_event);
