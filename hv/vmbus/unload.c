// SPDX-License-Identifier: GPL-2.0
/*
 * UNLOAD where the normal disconnect cannot run: panic, reboot and kexec.
 *
 * The host keeps writing into guest memory (rings, GPADLs, monitor
 * pages) until it has processed UNLOAD; a kdump or kexec kernel reusing
 * that memory would be corrupted.  So on those paths hv_vmbus posts
 * UNLOAD and waits for UNLOAD_RESPONSE, a bounded time, by polling the
 * SINT 2 message slots itself (hvcore_poll_message()): on a panic,
 * interrupts are off and the other CPUs are stopped, so no ISR would ever
 * see the answer.  The same function serves the reboot notifier (which
 * kexec runs too, before hv_common's syscore shutdown takes the SynIC
 * down) and, in test builds, the debugfs knob "unload_test" that tests it
 * (unload_test.c).
 *
 * Slots polled: the calling CPU's (with EOM) and those of CPUs that are
 * not online (stopped by the panic; their ISR cannot race with us).  An
 * online CPU's slot is left to its ISR, which hands a polled-for
 * UNLOAD_RESPONSE to us through vmbus_conn.unload_seen (chanmsg.c).
 * Other messages polled meanwhile are dropped and counted: the host
 * forgets everything with UNLOAD anyway.
 *
 * Rules: never sleep, no mutex, no spinlock (the panicking CPU may have
 * interrupted a holder), bounded loops, one attempt per boot (an atomic
 * flag; a second caller gets -EALREADY).  Afterwards the bus is
 * disconnected: this is for the end of the kernel's life, or a test that
 * is the last to touch the bus.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/reboot.h>
#include <linux/smp.h>

#include "vmbus_private.h"

/* How long UNLOAD_RESPONSE is polled for, and the pause between looks. */
#define VMBUS_UNLOAD_POLL_MS	5000
#define VMBUS_UNLOAD_POLL_US	100
/* Messages taken from one slot per look: a flooding host cannot hold us. */
#define VMBUS_UNLOAD_SLOT_BUDGET	16

static atomic_t vmbus_unload_started;

/*
 * chanmsg.c, hard interrupt context: an UNLOAD_RESPONSE arrived through
 * the ISR.  True when vmbus_unload_polled() is waiting for it (it is
 * then taken here).
 */
bool vmbus_unload_polled_for(void)
{
	/* Pairs with the release in vmbus_unload_polled() before its post. */
	if (!smp_load_acquire(&vmbus_conn.unload_polling))
		return false;
	WRITE_ONCE(vmbus_conn.unload_seen, true);
	return true;
}

static bool vmbus_is_unload_response(const struct hv_message *msg)
{
	const struct vmbus_chanmsg_hdr *hdr = (const void *)msg->payload;

	return le32_to_cpu(msg->header.message_type) == HVMSG_CHANNEL &&
	       msg->header.payload_size >= sizeof(*hdr) &&
	       le32_to_cpu(hdr->msgtype) == VMBUS_CHANMSG_UNLOAD_RESPONSE;
}

/* Drain @cpu's SINT 2 slot; true once UNLOAD_RESPONSE was among it. */
static bool vmbus_unload_poll_cpu(unsigned int cpu)
{
	struct hv_message msg;
	unsigned int n;
	int ret;

	for (n = 0; n < VMBUS_UNLOAD_SLOT_BUDGET; n++) {
		ret = hvcore_poll_message(cpu, HV_SINT_VMBUS, &msg);
		if (ret == -EBADMSG)
			continue;
		if (ret != 1)
			return false;
		if (vmbus_is_unload_response(&msg))
			return true;
		atomic64_inc(&vmbus_conn.unload_dropped);
	}
	return false;
}

/* One look at every slot we may poll.  Interrupts off. */
static bool vmbus_unload_look(void)
{
	unsigned int cpu, self = smp_processor_id();
	bool seen = false;

	for_each_present_cpu(cpu) {
		if (cpu != self && cpu_online(cpu))
			continue;	/* its ISR reports through unload_seen */
		if (vmbus_unload_poll_cpu(cpu))
			seen = true;
	}
	return seen || READ_ONCE(vmbus_conn.unload_seen);
}

/*
 * Post UNLOAD and poll for UNLOAD_RESPONSE, at most VMBUS_UNLOAD_POLL_MS.
 * Returns 0 (answered), -EALREADY (done before), -ENOTCONN (no
 * connection), -EIO (UNLOAD could not be posted) or -ETIMEDOUT.  Any
 * context, interrupts on or off; never sleeps.
 */
int vmbus_unload_polled(void)
{
	struct vmbus_chanmsg_hdr req = {
		.msgtype = cpu_to_le32(VMBUS_CHANMSG_UNLOAD),
	};
	unsigned int i, loops = VMBUS_UNLOAD_POLL_MS * (1000 / VMBUS_UNLOAD_POLL_US);
	unsigned long flags;
	int ret = -ETIMEDOUT;

	if (!READ_ONCE(vmbus_conn.version))
		return -ENOTCONN;
	if (atomic_xchg(&vmbus_unload_started, 1))
		return -EALREADY;

	local_irq_save(flags);
	WRITE_ONCE(vmbus_conn.unload_seen, false);
	/* Before the post: the ISR of another CPU may see the answer first. */
	smp_store_release(&vmbus_conn.unload_polling, true);
	if (vmbus_post(&req, sizeof(req))) {
		ret = -EIO;
		goto out;
	}
	for (i = 0; i < loops; i++) {
		if (vmbus_unload_look()) {
			ret = 0;
			break;
		}
		udelay(VMBUS_UNLOAD_POLL_US);
	}
out:
	WRITE_ONCE(vmbus_conn.unload_polling, false);
	local_irq_restore(flags);
	return ret;
}

static int vmbus_unload_panic(struct notifier_block *nb, unsigned long event, void *data)
{
	int ret = vmbus_unload_polled();

	if (ret && ret != -EALREADY && ret != -ENOTCONN)
		pr_emerg("UNLOAD on panic failed: %d\n", ret);
	return NOTIFY_DONE;
}

/*
 * Nearly last, as upstream: other panic notifiers may still need the
 * bus.  hv_common's crash report with a message is a kmsg dumper, which
 * runs after every notifier.
 */
static struct notifier_block vmbus_unload_panic_nb = {
	.notifier_call = vmbus_unload_panic,
	.priority = INT_MIN + 1,
};

/* Reboot, power off, halt and kexec: process context, other CPUs alive. */
static int vmbus_unload_reboot(struct notifier_block *nb, unsigned long event, void *data)
{
	int ret = vmbus_unload_polled();

	if (ret && ret != -EALREADY && ret != -ENOTCONN)
		pr_err("UNLOAD on reboot failed: %d\n", ret);
	return NOTIFY_DONE;
}

static struct notifier_block vmbus_unload_reboot_nb = {
	.notifier_call = vmbus_unload_reboot,
};

/* After the connection is up.  Process context. */
void vmbus_unload_init(void)
{
	atomic_set(&vmbus_unload_started, 0);
	atomic_notifier_chain_register(&panic_notifier_list, &vmbus_unload_panic_nb);
	register_reboot_notifier(&vmbus_unload_reboot_nb);
}

/* Before the normal disconnect.  Process context. */
void vmbus_unload_uninit(void)
{
	unregister_reboot_notifier(&vmbus_unload_reboot_nb);
	atomic_notifier_chain_unregister(&panic_notifier_list, &vmbus_unload_panic_nb);
}
