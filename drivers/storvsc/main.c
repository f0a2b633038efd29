// SPDX-License-Identifier: GPL-2.0
/*
 * hv_storvsc: SCSI host driver for Hyper-V synthetic storage controllers
 * (VMBus class VMBUS_CLASS_SCSI).  This file: module parameters, the SCSI
 * host template, probe and remove.  See storvsc.h for contexts and locking.
 *
 * Design decisions:
 * - Hardware queues: one per possible CPU with blk-mq's default mapping,
 *   so each CPU submits on its own queue; the command then goes out on
 *   the channel that CPU's interrupts come from (chan.c's map), falling
 *   back to one other channel when that ring is full.  can_queue is what
 *   one channel's ring holds of 128 KiB commands; per-channel request ids
 *   are sized for the smallest packet so ids never run out first.
 * - The first scan runs from a work item too, not in probe: with
 *   synchronous scanning (scsi_mod.scan=sync) a scan inside probe would
 *   hold hv_vmbus's offer work, and a rescind queued behind it, for as
 *   long as the scan takes, which is many command timeouts when the host
 *   has taken the controller back.  Remove drains it.
 * - Subchannels: asked for by a work item queued at the end of probe
 *   (probe may run under hv_vmbus's connection lock, which offers need);
 *   I/O starts on the primary and each subchannel joins the map as it
 *   opens.  nr_hw_queues does not depend on the channel count.
 * - Transfers: the host's max_transfer_bytes, capped at 1 MiB; the PFN
 *   list of a command up to 512 KiB lives in its private data, a larger
 *   one is allocated for the send only (storvsc.h STORVSC_MAX_XFER).
 * - Timeouts are real (storvsc_timeout, default 30 s), unlike upstream's
 *   endlessly re-armed timer: abort / device reset / host reset (eh.c).
 * - Remove (driver unbind or rescind, maybe with I/O in flight): mark the
 *   controller dead (new commands fail with DID_NO_CONNECT), wait for a
 *   running error handler, close the channels (subchannels first), fail
 *   every command still in flight with DID_NO_CONNECT, drain the scan and
 *   rescan works (their commands now fail at once), scsi_remove_host().
 *   Nothing waits for the host.
 * - The data buffers are described by their physical addresses (no DMA
 *   API): no bounce buffering for isolated (confidential) VMs.
 *
 * Tests: selftests/hv_storvsc/ (make check, against hvhost's storvsp:
 * topology, data, file system, multi-queue, hot plug, medium errors,
 * timeouts and resets, discard and WRITE SAME, back-pressure, rescind,
 * unload, version fallback, REMOVE_DEVICE, malformed completions and host
 * messages) and selftests/hv_storvsc_bench/ (make bench).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_devinfo.h>
#include <scsi/scsi_host.h>
#include <hyperv/vmbus.h>

#include "storvsc.h"

static unsigned int storvsc_ringbuffer_size = 128 * 1024;
module_param(storvsc_ringbuffer_size, uint, 0444);
MODULE_PARM_DESC(storvsc_ringbuffer_size,
		 "Bytes of each ring of each channel, control page included (default 128 KiB)");

unsigned int storvsc_vcpus_per_sub_channel = 1;
module_param(storvsc_vcpus_per_sub_channel, uint, 0444);
MODULE_PARM_DESC(storvsc_vcpus_per_sub_channel,
		 "CPUs per subchannel asked for: (online CPUs - 1) / this (default 1: every CPU its own channel; upstream's default is 4)");

unsigned int storvsc_logging_level = STORVSC_LOG_ERROR;
module_param_named(logging_level, storvsc_logging_level, uint, 0644);
MODULE_PARM_DESC(logging_level, "Logging: 0 errors, 1 warnings, 2 debug (default 0)");

unsigned int storvsc_timeout = 30;
module_param(storvsc_timeout, uint, 0444);
MODULE_PARM_DESC(storvsc_timeout, "Command timeout in seconds before error handling (default 30)");

#define STORVSC_RING_MIN	(16U * 1024)
#define STORVSC_RING_MAX	(16U * 1024 * 1024)

/* Largest packet of one command of 128 KiB, trailer included. */
#define STORVSC_TYPICAL_PFNS	(128 * 1024 / HV_PAGE_SIZE + 1)

static int storvsc_slave_alloc(struct scsi_device *sdev)
{
	/*
	 * Hyper-V targets claim SPC-2 but have VPD pages (needed for the
	 * UNMAP / WRITE SAME limits in B0/B2) and REPORT LUNS.
	 */
	sdev->sdev_bflags |= BLIST_REPORTLUN2 | BLIST_TRY_VPD_PAGES;
	return 0;
}

static int storvsc_slave_configure(struct scsi_device *sdev)
{
	struct storvsc_dev *dev = shost_priv(sdev->host);

	blk_queue_rq_timeout(sdev->request_queue, max(storvsc_timeout, 1U) * HZ);
	sdev->no_report_opcodes = 1;
	/* WRITE SAME only on >= 6.2 hosts; then sd decides from the VPD pages. */
	sdev->no_write_same = dev->version < VSTOR_VERSION_WIN10;
	return 0;
}

static struct scsi_host_template storvsc_sht = {
	.module			= THIS_MODULE,
	.name			= "hv_storvsc",
	.proc_name		= "hv_storvsc",
	.cmd_size		= sizeof(struct storvsc_cmd),
	.queuecommand		= storvsc_queuecommand,
	.eh_abort_handler	= storvsc_eh_abort,
	.eh_device_reset_handler = storvsc_eh_device_reset,
	.eh_host_reset_handler	= storvsc_eh_host_reset,
	.slave_alloc		= storvsc_slave_alloc,
	.slave_configure	= storvsc_slave_configure,
	.change_queue_depth	= scsi_change_queue_depth,
	.this_id		= -1,
	/* One gap-free GPA range per command: 4 KiB Hyper-V pages. */
	.virt_boundary_mask	= HV_PAGE_SIZE - 1,
	.track_queue_depth	= 1,
};

/* Sizes from the ring parameter; before the primary is opened. */
static void storvsc_dev_init(struct storvsc_dev *dev, struct Scsi_Host *shost,
			     struct vmbus_device *vdev)
{
	u32 ring = clamp(PAGE_ALIGN(READ_ONCE(storvsc_ringbuffer_size)),
			 STORVSC_RING_MIN, STORVSC_RING_MAX);
	u32 data = ring - PAGE_SIZE;

	dev->shost = shost;
	dev->vdev = vdev;
	dev->ring_size = ring;
	dev->max_requests = min_t(u32, 65536, data / (vmbus_pkt_len_inband(VSTOR_PACKET_SIZE) +
						     VMBUS_PKT_TRAILER_LEN));
	init_waitqueue_head(&dev->waitq);
	mutex_init(&dev->op_lock);
	mutex_init(&dev->chan_lock);
	INIT_LIST_HEAD(&dev->chans);
	INIT_WORK(&dev->scan_work, storvsc_scan_work);
	INIT_WORK(&dev->rescan_work, storvsc_rescan_work);
	INIT_WORK(&dev->subchan_work, storvsc_subchan_work);
}

/* Limits from the properties; before scsi_add_host(). */
static void storvsc_set_limits(struct storvsc_dev *dev)
{
	struct Scsi_Host *shost = dev->shost;
	u32 per_cmd = vmbus_pkt_len_gpa(1, STORVSC_TYPICAL_PFNS, VSTOR_PACKET_SIZE) +
		      VMBUS_PKT_TRAILER_LEN;
	u32 depth = clamp_t(u32, (dev->ring_size - PAGE_SIZE) / per_cmd, 2, dev->max_requests);

	shost->max_channel = VSTOR_MAX_CHANNELS - 1;
	shost->max_id = VSTOR_MAX_TARGETS;
	shost->max_lun = VSTOR_MAX_LUNS;
	shost->max_cmd_len = VSTOR_CDB_MAX;
	shost->max_sectors = dev->max_xfer >> SECTOR_SHIFT;
	shost->sg_tablesize = dev->max_xfer / HV_PAGE_SIZE + 1;
	shost->can_queue = depth;
	shost->cmd_per_lun = depth;
	shost->nr_hw_queues = num_possible_cpus();
}

static int storvsc_probe(struct vmbus_device *vdev, const struct hv_vmbus_device_id *id)
{
	struct Scsi_Host *shost;
	struct storvsc_dev *dev;
	int ret;

	shost = scsi_host_alloc(&storvsc_sht, sizeof(*dev));
	if (!shost)
		return -ENOMEM;
	dev = shost_priv(shost);
	storvsc_dev_init(dev, shost, vdev);
	dev->wq = alloc_ordered_workqueue("storvsc_scan_%u", WQ_MEM_RECLAIM, shost->host_no);
	if (!dev->wq) {
		ret = -ENOMEM;
		goto err_put;
	}
	dev_set_drvdata(&vdev->dev, dev);

	ret = storvsc_open_primary(dev);
	if (ret) {
		dev_err(&vdev->dev, "cannot open the channel: %d\n", ret);
		goto err_wq;
	}
	ret = storvsc_vstor_init(dev);
	if (ret)
		goto err_close;
	/* Before CREATE_SUB_CHANNELS (subchan_work): offers may come at once. */
	ret = vmbus_subchan_set_ops(vdev, &storvsc_subchan_ops, dev);
	if (ret)
		goto err_close;
	storvsc_set_limits(dev);

	ret = scsi_add_host(shost, &vdev->dev);
	if (ret)
		goto err_subs;
	WRITE_ONCE(dev->host_added, true);
	storvsc_debugfs_add(dev);
	queue_work(dev->wq, &dev->scan_work);
	queue_work(system_unbound_wq, &dev->subchan_work);
	return 0;

err_subs:
	vmbus_subchan_set_ops(vdev, NULL, NULL);
err_close:
	WRITE_ONCE(dev->dead, true);
	storvsc_chans_close(dev);
err_wq:
	storvsc_chans_free(dev);
	destroy_workqueue(dev->wq);
err_put:
	dev_set_drvdata(&vdev->dev, NULL);
	scsi_host_put(shost);
	return ret;
}

/*
 * Unbind: driver unregister, rescind (maybe with I/O in flight) or
 * hv_vmbus unloading.  The subchannel callbacks were stopped by the bus.
 */
static void storvsc_remove(struct vmbus_device *vdev)
{
	struct storvsc_dev *dev = dev_get_drvdata(&vdev->dev);
	struct Scsi_Host *shost = dev->shost;

	WRITE_ONCE(dev->dead, true);
	wake_up_all(&dev->waitq);
	cancel_work_sync(&dev->subchan_work);
	/* A running error handler returns soon; later ones see dead. */
	mutex_lock(&dev->op_lock);
	mutex_unlock(&dev->op_lock);

	storvsc_debugfs_remove(dev);
	storvsc_chans_close(dev);
	storvsc_fail_outstanding(dev, NULL, DID_NO_CONNECT);
	flush_workqueue(dev->wq);
	scsi_remove_host(shost);
	destroy_workqueue(dev->wq);
	storvsc_chans_free(dev);
	dev_set_drvdata(&vdev->dev, NULL);
	scsi_host_put(shost);
}

static const struct hv_vmbus_device_id storvsc_ids[] = {
	{ .guid = VMBUS_CLASS_SCSI },
	{ }
};
MODULE_DEVICE_TABLE(vmbus, storvsc_ids);

static struct vmbus_driver storvsc_driver = {
	.name = "hv_storvsc",
	.id_table = storvsc_ids,
	.probe = storvsc_probe,
	.remove = storvsc_remove,
};

static int __init storvsc_init(void)
{
	int ret;

	storvsc_debugfs_init();
	ret = vmbus_driver_register(&storvsc_driver);
	if (ret)
		storvsc_debugfs_uninit();
	return ret;
}

static void __exit storvsc_exit(void)
{
	vmbus_driver_unregister(&storvsc_driver);
	storvsc_debugfs_uninit();
}

module_init(storvsc_init);
module_exit(storvsc_exit);

MODULE_DESCRIPTION("Hyper-V synthetic SCSI controller driver (hvstack)");
MODULE_LICENSE("GPL");
