// SPDX-License-Identifier: GPL-2.0
/*
 * hvhost: a user-space Hyper-V host for QEMU TCG guests.
 *   hvhost run [options]          boot a guest and serve it
 *   hvhost ctl [--socket PATH] COMMAND [ARGS...]
 * See Documentation/hvhost.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"
#include "qemu.h"
#include "run.h"
#include "scsi_disk.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvhost run --kernel K --initrd I [options]\n"
		"       hvhost ctl [--socket PATH] COMMAND [ARGS...]   (hvhost ctl help)\n"
		"       hvhost --version\n"
		"run options:\n"
		"  --append STR        kernel command line (default \"console=ttyS0 tsc=reliable panic=-1\")\n"
		"  --smp N             vCPUs = VPs, 1..64 (default 2)\n"
		"  --mem MiB           guest RAM, 64..2048 (default 512)\n"
		"  --console FILE      guest console (ttyS0); default: standard output\n"
		"  --ktap FILE         second serial port (ttyS1); default: discarded\n"
		"  --crash-report FILE write guest crash reports here too\n"
		"  --ctl-socket PATH   control socket (default /tmp/hvhost-<uid>.sock)\n"
		"  --timeout SEC       stop the VM after SEC seconds, exit 124\n"
		"  --qemu BINARY       QEMU to run (default qemu-system-x86_64)\n"
		"  --vmlinux-pvh       boot the kernel's vmlinux through PVH (extracted, cached)\n"
		"  --virtio-blk PATH:SIZE  also a QEMU virtio-blk disk on the raw file PATH (--scsi's\n"
		"                      size rules; a file longer than SIZE is refused)\n"
		"  --vmbus-echo N      offer N VMBus echo devices, 0..128 (default 0)\n"
		"  --vmbus-echo-subchannels N  their maximum subchannels, 0..64 (default 8)\n"
		"  --vmbus-mnf         they are monitored (MNF through the monitor pages)\n"
		"  --vmbus-mnf-latency-us N  monitor page latency, 1..100000 (default 100)\n"
		"  --vmbus-config FILE more VMBus devices and versions from FILE (after --vmbus-echo's)\n"
		"  --scsi PATH:SIZE[,PATH:SIZE...]  a SCSI controller with these LUN files (repeatable)\n"
		"  --vmbus-max-version X.Y  newest VMBus version accepted (default 5.3)\n"
		"  --vmbus-versions L  VMBus versions accepted: all, none or X.Y,X.Y,... (default all)\n"
		"  -v                  verbose\n"
		"exit status: the guest's `exit N`, else 0; 3 guest crash; 124 timeout; 1 error;\n"
		"  2 bad --vmbus-config file (nothing started)\n");
}

static int parse_uint(const char *opt, const char *s, unsigned int lo, unsigned int hi,
		      unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < lo || v > hi) {
		fprintf(stderr, "hvhost: %s wants a number in %u..%u, not '%s'\n", opt, lo, hi, s);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

enum {
	OPT_KERNEL = 256, OPT_INITRD, OPT_APPEND, OPT_SMP, OPT_MEM, OPT_CONSOLE, OPT_KTAP,
	OPT_CRASH, OPT_CTL, OPT_TIMEOUT, OPT_QEMU, OPT_PVH, OPT_HELP, OPT_VMBUS_ECHO,
	OPT_VMBUS_MAX, OPT_VMBUS_VERSIONS, OPT_VMBUS_ECHO_SUB, OPT_VMBUS_MNF,
	OPT_VMBUS_MNF_LATENCY, OPT_VMBUS_CONFIG, OPT_SCSI, OPT_VIRTIO_BLK,
};

static const struct option run_longopts[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "smp", required_argument, NULL, OPT_SMP },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "ktap", required_argument, NULL, OPT_KTAP },
	{ "crash-report", required_argument, NULL, OPT_CRASH },
	{ "ctl-socket", required_argument, NULL, OPT_CTL },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "qemu", required_argument, NULL, OPT_QEMU },
	{ "vmlinux-pvh", no_argument, NULL, OPT_PVH },
	{ "vmbus-echo", required_argument, NULL, OPT_VMBUS_ECHO },
	{ "vmbus-max-version", required_argument, NULL, OPT_VMBUS_MAX },
	{ "vmbus-versions", required_argument, NULL, OPT_VMBUS_VERSIONS },
	{ "vmbus-echo-subchannels", required_argument, NULL, OPT_VMBUS_ECHO_SUB },
	{ "vmbus-mnf", no_argument, NULL, OPT_VMBUS_MNF },
	{ "vmbus-mnf-latency-us", required_argument, NULL, OPT_VMBUS_MNF_LATENCY },
	{ "vmbus-config", required_argument, NULL, OPT_VMBUS_CONFIG },
	{ "scsi", required_argument, NULL, OPT_SCSI },
	{ "virtio-blk", required_argument, NULL, OPT_VIRTIO_BLK },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* What the command line set, for the config file not to override it. */
struct cmdline {
	struct run_opts *o;
	const char *config_file;		/* --vmbus-config FILE */
	bool max_version_set;
	bool versions_set;
	char *virtio_path;		/* --virtio-blk PATH (malloc'd), NULL = none */
	uint64_t virtio_size;		/* its SIZE in bytes */
};

/* --virtio-blk PATH:SIZE, the syntax and limits of one --scsi LUN. */
static int parse_virtio_blk_opt(struct cmdline *cl)
{
	char err[256];

	if (cl->virtio_path) {
		fprintf(stderr, "hvhost: --virtio-blk: only one virtio-blk disk\n");
		return -1;
	}
	if (scsi_parse_disk(optarg, &cl->virtio_path, &cl->virtio_size, err, sizeof(err))) {
		fprintf(stderr, "hvhost: --virtio-blk: %s\n", err);
		return -1;
	}
	return 0;
}

/* The --virtio-blk file, created or grown once the command line is valid. */
static int prepare_virtio_blk(struct cmdline *cl)
{
	char err[512];

	if (!cl->virtio_path)
		return 0;
	if (qemu_disk_prepare(cl->virtio_path, cl->virtio_size, err, sizeof(err))) {
		fprintf(stderr, "hvhost: --virtio-blk: %s\n", err);
		return -1;
	}
	cl->o->virtio_blk = cl->virtio_path;
	return 0;
}

/* --scsi PATH:SIZE[,...]: one more controller. */
static int parse_scsi_opt(struct hvh_config *v)
{
	struct storvsp_config *sc = hvh_config_new_scsi(v);
	char err[256];

	if (!sc) {
		fprintf(stderr, "hvhost: --scsi: more than %u devices\n", HVH_SRV_MAX_DEVICES);
		return -1;
	}
	if (storvsp_config_add_list(sc, optarg, err, sizeof(err))) {
		fprintf(stderr, "hvhost: --scsi: %s\n", err);
		return -1;
	}
	return 0;
}

static int parse_vmbus_opt(int c, struct cmdline *cl)
{
	struct hvh_config *v = &cl->o->vmbus;

	switch (c) {
	case OPT_SCSI:
		return parse_scsi_opt(v);
	case OPT_VMBUS_ECHO:
		return parse_uint("--vmbus-echo", optarg, 0, HVH_SRV_MAX_DEVICES, &v->echo);
	case OPT_VMBUS_ECHO_SUB:
		return parse_uint("--vmbus-echo-subchannels", optarg, 0, HVH_SRV_MAX_SUB,
				  &v->echo_sub);
	case OPT_VMBUS_MNF:
		v->mnf = true;
		return 0;
	case OPT_VMBUS_MNF_LATENCY:
		return parse_uint("--vmbus-mnf-latency-us", optarg, 1, HVH_SRV_MNF_LATENCY_MAX,
				  &v->mnf_latency_us);
	case OPT_VMBUS_CONFIG:
		cl->config_file = optarg;
		return 0;
	case OPT_VMBUS_MAX:
		cl->max_version_set = true;
		if (!hvh_parse_version(optarg, &v->max_version))
			return 0;
		fprintf(stderr, "hvhost: --vmbus-max-version wants 2.4, 3.0, 4.0, 4.1 or 5.0..5.3, not '%s'\n",
			optarg);
		return -1;
	case OPT_VMBUS_VERSIONS:
		cl->versions_set = true;
		if (!hvh_parse_versions(optarg, &v->versions))
			return 0;
		fprintf(stderr, "hvhost: --vmbus-versions wants all, none or X.Y,X.Y,..., not '%s'\n",
			optarg);
		return -1;
	default:
		usage(stderr);
		return -1;
	}
}

static int parse_run_opt(int c, struct cmdline *cl)
{
	struct run_opts *o = cl->o;

	switch (c) {
	case OPT_KERNEL:
		o->kernel = optarg;
		return 0;
	case OPT_INITRD:
		o->initrd = optarg;
		return 0;
	case OPT_APPEND:
		o->append = optarg;
		return 0;
	case OPT_SMP:
		return parse_uint("--smp", optarg, 1, 64, &o->smp);
	case OPT_MEM:
		return parse_uint("--mem", optarg, 64, 2048, &o->mem_mib);
	case OPT_CONSOLE:
		o->console = optarg;
		return 0;
	case OPT_KTAP:
		o->ktap = optarg;
		return 0;
	case OPT_CRASH:
		o->crash_report = optarg;
		return 0;
	case OPT_CTL:
		o->ctl_socket = optarg;
		return 0;
	case OPT_TIMEOUT:
		return parse_uint("--timeout", optarg, 1, 1000000, &o->timeout_s);
	case OPT_QEMU:
		o->qemu = optarg;
		return 0;
	case OPT_PVH:
		o->vmlinux_pvh = true;
		return 0;
	case OPT_VIRTIO_BLK:
		return parse_virtio_blk_opt(cl);
	case 'v':
		hv_log_level(1);
		return 0;
	case OPT_HELP:
		usage(stdout);
		exit(0);
	default:
		return parse_vmbus_opt(c, cl);
	}
}

/*
 * The config file, read once every option is known: its devices come after
 * --vmbus-echo's; its max-version / versions yield to the command line's.
 * Returns 0, or RUN_EXIT_CONFIG after saying why.
 */
static int load_vmbus_config(struct cmdline *cl)
{
	struct hvh_config *v = &cl->o->vmbus;
	uint32_t max_version = v->max_version, versions = v->versions;
	char err[512];

	if (!cl->config_file)
		return 0;
	if (hvh_config_load(v, cl->config_file, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return RUN_EXIT_CONFIG;
	}
	if (cl->max_version_set)
		v->max_version = max_version;
	if (cl->versions_set)
		v->versions = versions;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .smp = 2, .mem_mib = 512 };
	struct cmdline cl = { .o = &o };
	int c, rc;

	hvh_config_default(&o.vmbus);
	optind = 1;
	while ((c = getopt_long(argc, argv, "v", run_longopts, NULL)) != -1) {
		if (parse_run_opt(c, &cl)) {
			rc = RUN_EXIT_ERROR;
			goto out;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "hvhost run: unexpected argument '%s'\n", argv[optind]);
		rc = RUN_EXIT_ERROR;
		goto out;
	}
	rc = load_vmbus_config(&cl);
	if (rc)
		goto out;
	if (!o.kernel || !o.initrd) {
		fprintf(stderr, "hvhost run: --kernel and --initrd are required\n");
		rc = RUN_EXIT_ERROR;
		goto out;
	}
	if (prepare_virtio_blk(&cl)) {
		rc = RUN_EXIT_ERROR;
		goto out;
	}
	rc = run_vm(&o);
out:
	free(cl.virtio_path);
	hvh_config_release(&o.vmbus);
	return rc;
}

static int cmd_ctl(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	char path[108];
	int c;

	ctlsock_default_path(path, sizeof(path));
	optind = 1;
	while ((c = getopt_long(argc, argv, "+s:", longopts, NULL)) != -1) {
		if (c != 's') {
			usage(stderr);
			return 1;
		}
		snprintf(path, sizeof(path), "%s", optarg);
	}
	if (optind == argc) {
		fprintf(stderr, "hvhost ctl: no command (try: hvhost ctl help)\n");
		return 1;
	}
	return ctlsock_client(path, argc - optind, argv + optind);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ctl"))
		return cmd_ctl(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version")) {
		printf("hvhost %s\n", HVHOST_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "hvhost: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 1;
}
