// SPDX-License-Identifier: GPL-2.0
/*
 * hv_storvsc: rescans.  The host says the LUN set changed (ENUMERATE_BUS,
 * REMOVE_DEVICE), or a command found its LUN gone (INVALID_LUN,
 * NO_DEVICE, SELECTION_TIMEOUT), or a LUN's capacity changed: the
 * callback queues dev->rescan_work (queue_work() coalesces), which runs on
 * the controller's ordered workqueue:
 *
 *   1. every known LUN gets TEST UNIT READY; one that answers with
 *      DID_NO_CONNECT (the host said INVALID_LUN) is removed;
 *   2. if asked (capacity changed), every remaining LUN is rescanned;
 *   3. every (channel, target) is scanned for new LUNs, synchronously.
 *
 * The same workqueue runs the first scan (probe queues it).  Nothing is
 * queued before scsi_add_host(); remove drains the workqueue after
 * closing the channels, when every command fails at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <scsi/scsi.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_eh.h>
#include <scsi/scsi_host.h>

#include "storvsc.h"

#define STORVSC_TUR_RETRIES	3

/* Softirq (callback) or any context.  @devices: re-read every LUN too. */
void storvsc_queue_rescan(struct storvsc_dev *dev, bool devices)
{
	if (!READ_ONCE(dev->host_added) || READ_ONCE(dev->dead))
		return;
	if (devices)
		set_bit(STORVSC_RESCAN_DEVICES, &dev->rescan_flags);
	queue_work(dev->wq, &dev->rescan_work);
}

/*
 * The first scan, queued by probe.  Process context.  scsi_scan_host()
 * scans here or, with asynchronous scanning, hands the scan to the
 * midlayer's async domain; either way remove waits for it.
 */
void storvsc_scan_work(struct work_struct *work)
{
	struct storvsc_dev *dev = container_of(work, struct storvsc_dev, scan_work);

	if (!READ_ONCE(dev->dead))
		scsi_scan_host(dev->shost);
}

/* Step 1 and 2.  Process context (the rescan work). */
static void storvsc_check_luns(struct storvsc_dev *dev, bool rescan)
{
	struct Scsi_Host *shost = dev->shost;
	struct scsi_sense_hdr sshdr;
	struct scsi_device *sdev;
	int result;

	shost_for_each_device(sdev, shost) {
		if (READ_ONCE(dev->dead))
			continue;	/* the iterator holds a reference: finish the walk */
		result = scsi_test_unit_ready(sdev, storvsc_timeout * HZ,
					      STORVSC_TUR_RETRIES, &sshdr);
		if (host_byte(result) == DID_NO_CONNECT) {
			sdev_printk(KERN_INFO, sdev, "storvsc: LUN gone, removing it\n");
			atomic64_inc(&dev->stats.luns_removed);
			scsi_remove_device(sdev);
			continue;
		}
		if (rescan)
			scsi_rescan_device(sdev);
	}
}

/* The rescan work.  Process context. */
void storvsc_rescan_work(struct work_struct *work)
{
	struct storvsc_dev *dev = container_of(work, struct storvsc_dev, rescan_work);
	struct Scsi_Host *shost = dev->shost;
	unsigned int channel, id;
	bool rescan;

	if (READ_ONCE(dev->dead))
		return;
	atomic64_inc(&dev->stats.rescans);
	rescan = test_and_clear_bit(STORVSC_RESCAN_DEVICES, &dev->rescan_flags);
	storvsc_check_luns(dev, rescan);
	for (channel = 0; channel <= shost->max_channel; channel++) {
		for (id = 0; id < shost->max_id; id++) {
			if (READ_ONCE(dev->dead))
				return;
			scsi_scan_target(&shost->shost_gendev, channel, id,
					 SCAN_WILD_CARD, SCSI_SCAN_RESCAN);
		}
	}
}
