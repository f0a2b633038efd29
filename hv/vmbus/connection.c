// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus connection: SINT 2, posting channel messages, version
 * negotiation (INITIATE_CONTACT / VERSION_RESPONSE), REQUESTOFFERS and
 * UNLOAD.
 *
 * Negotiation tries one version at a time, newest first, and waits for
 * each answer.  Versions >= 5.0 are requested on connection id 4 and name
 * the message SINT; the host then tells which connection id to post to.
 * An older host rejects a post to id 4 with HV_STATUS_INVALID_CONNECTION_ID,
 * which means "try the next version", not a failure.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "vmbus_private.h"

struct vmbus_connection vmbus_conn;

/* Newest first: the order of the version loop. */
static const u32 vmbus_versions[] = {
	VMBUS_VERSION_IRON,		/* 5.3 */
	VMBUS_VERSION_WIN10_RS5,	/* 5.2 */
	VMBUS_VERSION_WIN10_RS4,	/* 5.1 */
	VMBUS_VERSION_WIN10_V5,		/* 5.0 */
	VMBUS_VERSION_WIN10_RS3,	/* 4.1 */
	VMBUS_VERSION_WIN10,		/* 4.0 */
};

/* Retries of a post the hypervisor refused for lack of buffers or memory. */
#define VMBUS_POST_RETRIES	20
#define VMBUS_POST_RETRY_MS	10

/* Post a channel message on the negotiated connection.  Any context. */
int vmbus_post(const void *msg, u32 len)
{
	vmbus_trace_post(msg, len);
	return hvcore_post_message(vmbus_conn.msg_conn_id, HVMSG_CHANNEL, msg, len, NULL);
}

/*
 * vmbus_post(), retrying for a while when the hypervisor is short of
 * message buffers or memory (it frees them as the host drains its
 * queue: a GPADL of many bodies can fill it).  Process context.
 */
int vmbus_post_sleep(const void *msg, u32 len)
{
	unsigned int i;
	int ret;

	might_sleep();
	for (i = 0;; i++) {
		ret = vmbus_post(msg, len);
		if ((ret != -ENOBUFS && ret != -ENOMEM) || i == VMBUS_POST_RETRIES)
			return ret;
		msleep(VMBUS_POST_RETRY_MS);
	}
}

/* Arm the reply slot for @type before posting the request. */
static void vmbus_expect_reply(u32 type)
{
	unsigned long flags;

	spin_lock_irqsave(&vmbus_conn.reply_lock, flags);
	vmbus_conn.reply_type = type;
	vmbus_conn.reply_len = 0;
	reinit_completion(&vmbus_conn.reply_done);
	spin_unlock_irqrestore(&vmbus_conn.reply_lock, flags);
}

static void vmbus_cancel_reply(void)
{
	unsigned long flags;

	spin_lock_irqsave(&vmbus_conn.reply_lock, flags);
	vmbus_conn.reply_type = VMBUS_CHANMSG_INVALID;
	spin_unlock_irqrestore(&vmbus_conn.reply_lock, flags);
}

/*
 * A connection-level reply (already checked for type and minimum length)
 * from the reply work.  A reply nobody waits for is logged and dropped:
 * the host is untrusted and may send one at any time.
 */
void vmbus_reply_arrived(const void *msg, u32 len)
{
	const struct vmbus_chanmsg_hdr *hdr = msg;
	u32 type = le32_to_cpu(hdr->msgtype);
	unsigned long flags;
	bool taken = false;

	spin_lock_irqsave(&vmbus_conn.reply_lock, flags);
	if (vmbus_conn.reply_type == type) {
		len = min_t(u32, len, sizeof(vmbus_conn.reply_buf));
		memcpy(vmbus_conn.reply_buf, msg, len);
		vmbus_conn.reply_len = len;
		vmbus_conn.reply_type = VMBUS_CHANMSG_INVALID;
		complete(&vmbus_conn.reply_done);
		taken = true;
	}
	spin_unlock_irqrestore(&vmbus_conn.reply_lock, flags);
	if (!taken)
		pr_warn_ratelimited("unexpected %s from the host dropped\n",
				    vmbus_chanmsg_name(type));
}

/* Wait for the armed reply; 0 or -ETIMEDOUT (the slot is then disarmed). */
static int vmbus_wait_reply(void)
{
	if (wait_for_completion_timeout(&vmbus_conn.reply_done,
					msecs_to_jiffies(VMBUS_REPLY_TIMEOUT_MS)))
		return 0;
	vmbus_cancel_reply();
	/* It may have arrived between the timeout and the disarm. */
	return try_wait_for_completion(&vmbus_conn.reply_done) ? 0 : -ETIMEDOUT;
}

/*
 * One INITIATE_CONTACT for @version.  Returns 0 when accepted, -EAGAIN
 * when the host wants another version, another negative errno when the
 * connection cannot be made at all.
 */
static int vmbus_try_version(u32 version)
{
	struct vmbus_chanmsg_initiate_contact req = {};
	const struct vmbus_chanmsg_version_response *resp;
	u32 conn_id = VMBUS_MESSAGE_CONNECTION_ID;
	u16 status = HV_STATUS_SUCCESS;
	int ret;

	req.hdr.msgtype = cpu_to_le32(VMBUS_CHANMSG_INITIATE_CONTACT);
	req.version = cpu_to_le32(version);
	req.target_vcpu = cpu_to_le32(vmbus_conn.target_vp);
	if (version >= VMBUS_VERSION_WIN10_V5) {
		conn_id = VMBUS_MESSAGE_CONNECTION_ID_4;
		req.msg_sint = VMBUS_MESSAGE_SINT;
	} else {
		req.interrupt_page = cpu_to_le64(virt_to_phys(vmbus_conn.int_page));
	}
	req.monitor_page1 = cpu_to_le64(virt_to_phys(vmbus_conn.monitor_pages[0]));
	req.monitor_page2 = cpu_to_le64(virt_to_phys(vmbus_conn.monitor_pages[1]));

	vmbus_expect_reply(VMBUS_CHANMSG_VERSION_RESPONSE);
	vmbus_trace_post(&req, sizeof(req));
	/* A pre-5.0 host refusing connection 4 is expected: not logged. */
	ret = hvcore_post_message_quiet(conn_id, HVMSG_CHANNEL, &req, sizeof(req), &status,
					conn_id == VMBUS_MESSAGE_CONNECTION_ID_4 ?
					HV_STATUS_INVALID_CONNECTION_ID : HV_STATUS_SUCCESS);
	if (ret) {
		vmbus_cancel_reply();
		if (conn_id == VMBUS_MESSAGE_CONNECTION_ID_4 &&
		    status == HV_STATUS_INVALID_CONNECTION_ID) {
			pr_debug("version %u.%u: connection id 4 unknown to the host\n",
				 VMBUS_VERSION_MAJOR(version), VMBUS_VERSION_MINOR(version));
			return -EAGAIN;
		}
		pr_err("INITIATE_CONTACT for version %u.%u could not be posted: %d\n",
		       VMBUS_VERSION_MAJOR(version), VMBUS_VERSION_MINOR(version), ret);
		return ret;
	}
	ret = vmbus_wait_reply();
	if (ret) {
		pr_err("no VERSION_RESPONSE to version %u.%u within %u ms\n",
		       VMBUS_VERSION_MAJOR(version), VMBUS_VERSION_MINOR(version),
		       VMBUS_REPLY_TIMEOUT_MS);
		return ret;
	}

	resp = (const void *)vmbus_conn.reply_buf;
	if (!resp->version_supported)
		return -EAGAIN;
	if (resp->connection_state) {
		pr_err("the host accepted version %u.%u but failed the connection (state %u)\n",
		       VMBUS_VERSION_MAJOR(version), VMBUS_VERSION_MINOR(version),
		       resp->connection_state);
		return -ECONNREFUSED;
	}
	vmbus_conn.msg_conn_id = VMBUS_MESSAGE_CONNECTION_ID;
	if (version >= VMBUS_VERSION_WIN10_V5) {
		conn_id = le32_to_cpu(resp->msg_conn_id);
		if (!conn_id || conn_id > HV_CONNECTION_ID_MASK) {
			pr_err("the host returned an invalid message connection id 0x%x\n",
			       conn_id);
			return -EPROTO;
		}
		vmbus_conn.msg_conn_id = conn_id;
	}
	vmbus_conn.version = version;
	return 0;
}

static int vmbus_negotiate(void)
{
	unsigned int i;
	bool tried = false;
	int ret;

	for (i = 0; i < ARRAY_SIZE(vmbus_versions); i++) {
		if (vmbus_versions[i] > vmbus_max_version)
			continue;
		tried = true;
		ret = vmbus_try_version(vmbus_versions[i]);
		if (ret != -EAGAIN)
			return ret;
	}
	if (!tried)
		pr_err("max_version %u.%u is below the oldest supported version 4.0\n",
		       VMBUS_VERSION_MAJOR(vmbus_max_version),
		       VMBUS_VERSION_MINOR(vmbus_max_version));
	else
		pr_err("the host accepted no VMBus version from %u.%u down to 4.0\n",
		       VMBUS_VERSION_MAJOR(min_t(u32, vmbus_max_version, vmbus_versions[0])),
		       VMBUS_VERSION_MINOR(min_t(u32, vmbus_max_version, vmbus_versions[0])));
	return -EPROTONOSUPPORT;
}

static int vmbus_request_offers(void)
{
	struct vmbus_chanmsg_hdr req = {
		.msgtype = cpu_to_le32(VMBUS_CHANMSG_REQUESTOFFERS),
	};

	return vmbus_post(&req, sizeof(req));
}

/*
 * Connect, request the offers and wait for ALLOFFERS_DELIVERED.  Channel
 * messages start flowing at the first accepted version.  Process context.
 */
int vmbus_connect(void)
{
	unsigned int cpu;
	int ret;

	/*
	 * Messages go to the first online CPU (CPU 0 as a rule, which x86
	 * cannot offline): hotplug.c refuses to offline it from CONNECTING
	 * on, and the hotplug lock keeps it online until then.
	 *
	 * Lock order vmbus_conn.lock -> cpu_hotplug_lock, the order the
	 * rescind path implies (vmbus_conn.lock, then a driver's remove,
	 * which may wait for an open holding cpus_read_lock()); lockdep
	 * found the reverse order here on the debug kernel.
	 */
	mutex_lock(&vmbus_conn.lock);
	cpus_read_lock();
	cpu = cpumask_first(cpu_online_mask);
	WRITE_ONCE(vmbus_conn.target_cpu, cpu);
	vmbus_conn.target_vp = hvcore_vp_index(cpu);
	if (vmbus_conn.target_vp == U32_MAX) {
		cpus_read_unlock();
		mutex_unlock(&vmbus_conn.lock);
		pr_err("CPU %u has no VP index\n", cpu);
		return -ENODEV;
	}
	WRITE_ONCE(vmbus_conn.state, VMBUS_CONNECTING);
	cpus_read_unlock();
	mutex_unlock(&vmbus_conn.lock);
	ret = vmbus_negotiate();
	mutex_lock(&vmbus_conn.lock);
	WRITE_ONCE(vmbus_conn.state, ret ? VMBUS_DISCONNECTED : VMBUS_CONNECTED);
	mutex_unlock(&vmbus_conn.lock);
	if (ret)
		return ret;
	pr_info("VMBus version %u.%u negotiated (message connection id %u, target VP %u)\n",
		VMBUS_VERSION_MAJOR(vmbus_conn.version),
		VMBUS_VERSION_MINOR(vmbus_conn.version),
		vmbus_conn.msg_conn_id, vmbus_conn.target_vp);

	ret = vmbus_request_offers();
	if (ret) {
		pr_err("REQUESTOFFERS could not be posted: %d\n", ret);
		vmbus_disconnect();
		return ret;
	}
	if (!wait_for_completion_timeout(&vmbus_conn.all_offers,
					 msecs_to_jiffies(VMBUS_OFFERS_TIMEOUT_MS)))
		pr_warn("no ALLOFFERS_DELIVERED within %u ms; continuing with %u offers\n",
			VMBUS_OFFERS_TIMEOUT_MS, vmbus_conn.nr_offers);
	return 0;
}

/*
 * Leave the connection: stop handling offers, drop every channel (their
 * drivers close them first: CLOSECHANNEL and GPADL teardowns are still
 * answered), then UNLOAD and wait for UNLOAD_RESPONSE (the host then
 * forgets all relids and GPADLs, and a new INITIATE_CONTACT may follow).
 * Anything still waiting for the host fails with -ESHUTDOWN; GPADLs torn
 * down after this succeed without a message.  Process context.
 */
void vmbus_disconnect(void)
{
	struct vmbus_chanmsg_hdr req = {
		.msgtype = cpu_to_le32(VMBUS_CHANMSG_UNLOAD),
	};
	int ret;

	mutex_lock(&vmbus_conn.lock);
	WRITE_ONCE(vmbus_conn.state, VMBUS_UNLOADING);
	mutex_unlock(&vmbus_conn.lock);
	/* Offers already queued see VMBUS_UNLOADING and do nothing. */
	flush_workqueue(vmbus_conn.chan_wq);
	vmbus_remove_all_channels();

	vmbus_expect_reply(VMBUS_CHANMSG_UNLOAD_RESPONSE);
	ret = vmbus_post(&req, sizeof(req));
	if (ret) {
		vmbus_cancel_reply();
		pr_err("UNLOAD could not be posted: %d\n", ret);
	} else if (vmbus_wait_reply()) {
		pr_err("no UNLOAD_RESPONSE within %u ms\n", VMBUS_REPLY_TIMEOUT_MS);
	}
	vmbus_waiters_shutdown();
	vmbus_gpadl_forget_all();
	mutex_lock(&vmbus_conn.lock);
	WRITE_ONCE(vmbus_conn.state, VMBUS_DISCONNECTED);
	WRITE_ONCE(vmbus_conn.version, 0);
	mutex_unlock(&vmbus_conn.lock);
}

static void vmbus_free_pages(void)
{
	free_page((unsigned long)vmbus_conn.monitor_pages[1]);
	free_page((unsigned long)vmbus_conn.monitor_pages[0]);
	free_page((unsigned long)vmbus_conn.int_page);
	vmbus_conn.monitor_pages[1] = NULL;
	vmbus_conn.monitor_pages[0] = NULL;
	vmbus_conn.int_page = NULL;
}

/* Workqueues, pages and SINT 2: everything before INITIATE_CONTACT. */
int vmbus_connection_init(void)
{
	struct hvcore_sint_client client = {
		.message = vmbus_chanmsg_isr,
		.events = vmbus_chan_events,
	};
	int ret;

	spin_lock_init(&vmbus_conn.reply_lock);
	init_completion(&vmbus_conn.reply_done);
	init_completion(&vmbus_conn.all_offers);
	mutex_init(&vmbus_conn.lock);
	xa_init(&vmbus_conn.channels);
	vmbus_conn.state = VMBUS_DISCONNECTED;
	spin_lock_init(&vmbus_conn.waiter_lock);
	INIT_LIST_HEAD(&vmbus_conn.waiters);
	vmbus_conn.gone = false;
	xa_init_flags(&vmbus_conn.gpadls, XA_FLAGS_ALLOC);
	spin_lock_init(&vmbus_conn.gpadl_lock);
	spin_lock_init(&vmbus_conn.cpu_lock);
	vmbus_conn.last_cpu = -1;
	vmbus_conn.unload_polling = false;
	vmbus_conn.unload_seen = false;

	vmbus_conn.int_page = (void *)get_zeroed_page(GFP_KERNEL);
	vmbus_conn.monitor_pages[0] = (void *)get_zeroed_page(GFP_KERNEL);
	vmbus_conn.monitor_pages[1] = (void *)get_zeroed_page(GFP_KERNEL);
	if (!vmbus_conn.int_page || !vmbus_conn.monitor_pages[0] ||
	    !vmbus_conn.monitor_pages[1]) {
		ret = -ENOMEM;
		goto err_pages;
	}

	vmbus_conn.reply_wq = alloc_workqueue("hv_vmbus_reply", WQ_HIGHPRI, 0);
	if (!vmbus_conn.reply_wq) {
		ret = -ENOMEM;
		goto err_pages;
	}
	vmbus_conn.chan_wq = alloc_ordered_workqueue("hv_vmbus_chan", 0);
	if (!vmbus_conn.chan_wq) {
		ret = -ENOMEM;
		goto err_reply_wq;
	}

	ret = hvcore_sint_register(HV_SINT_VMBUS, &client);
	if (ret) {
		pr_err("cannot claim SINT %u: %d\n", HV_SINT_VMBUS, ret);
		goto err_chan_wq;
	}
	return 0;

err_chan_wq:
	destroy_workqueue(vmbus_conn.chan_wq);
err_reply_wq:
	destroy_workqueue(vmbus_conn.reply_wq);
err_pages:
	vmbus_free_pages();
	return ret;
}

/* Mirror of vmbus_connection_init(); after vmbus_disconnect() if connected. */
void vmbus_connection_uninit(void)
{
	/* No callback runs after this: nothing more is queued. */
	hvcore_sint_unregister(HV_SINT_VMBUS);
	destroy_workqueue(vmbus_conn.chan_wq);
	destroy_workqueue(vmbus_conn.reply_wq);
	WARN_ON(!xa_empty(&vmbus_conn.channels));
	xa_destroy(&vmbus_conn.channels);
	/* Never connected, or UNLOAD done: no GPADL is held any more. */
	vmbus_gpadl_forget_all();
	xa_destroy(&vmbus_conn.gpadls);
	vmbus_free_pages();
}
