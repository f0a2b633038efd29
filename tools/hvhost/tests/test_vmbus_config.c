// SPDX-License-Identifier: GPL-2.0
/*
 * The --vmbus-config file: a good file and the server it makes, each kind
 * of error with its FILE:LINE, loading from a path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_vmbus.h"
#include "../util.h"

static char err[512];

/* Parse @len bytes of @text as file "t.conf" into @c.  Returns 0 or -1. */
static int parse_n(struct hvh_config *c, const char *text, size_t len)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int rc;

	CHECK(f);
	err[0] = '\0';
	rc = hvh_config_parse(c, "t.conf", f, err, sizeof(err));
	fclose(f);
	return rc;
}

static int parse(struct hvh_config *c, const char *text)
{
	return parse_n(c, text, strlen(text));
}

static void config_good(void)
{
	static const char text[] =
		"# the devices\n"
		"\n"
		"echo\n"
		"echo count=2 subchannels=0\t# no subchannels\n"
		"   echo mnf=1 subchannels=64 count=3 \x20\n"
		"max-version 5.0\n"
		"versions 4.0,5.0\r\n"
		"#\n";
	struct hvh_config c;
	struct tp t;

	hvh_config_default(&c);
	c.echo = 1;
	CHECK_EQ(parse(&c, text), 0);
	CHECK_EQ(c.nr_file, 6);
	CHECK_EQ(c.file[0].max_sub, HVH_SRV_DEFAULT_SUB);
	CHECK_EQ(c.file[0].mnf, false);
	CHECK_EQ(c.file[1].max_sub, 0);
	CHECK_EQ(c.file[2].max_sub, 0);
	CHECK_EQ(c.file[3].max_sub, 64);
	CHECK_EQ(c.file[5].mnf, true);
	CHECK_EQ(c.max_version, VMBUS_VERSION_WIN10_V5);
	CHECK_EQ(c.versions, 1U << 2 | 1U << 4);
	CHECK_EQ(c.echo, 1);
	CHECK_EQ(c.echo_sub, HVH_SRV_DEFAULT_SUB);
	/* The server: --vmbus-echo's device first, then the file's in order. */
	CHECK_EQ(parse(&c, "max-version 5.3\nversions all\n"), 0);
	vt_init(&t, 1, &c);
	vt_connect(&t, 7);
	CHECK(strstr(vt_state(&t), " offers=7 "));
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-offer-sub 1 8", 0),
		      "relids=8,9,10,11,12,13,14,15"));
	CHECK(strstr(vt_ctl_answer(&t, "vmbus-offer-sub 3", -1), " at most 0 "));
	CHECK(strstr(vt_ctl_answer(&t, "vmbus-offer-sub 4", -1), " at most 0 "));
	CHECK(strstr(vt_chan(&t, 5), " monitor_id=0 "));
	CHECK(strstr(vt_chan(&t, 7), " monitor_id=2 "));
	CHECK(strstr(vt_chan(&t, 2), " monitor_id=255 "));
	vt_fini(&t);
}

struct bad {
	unsigned int echo;	/* --vmbus-echo before the file */
	const char *text;
	const char *why;	/* the whole message */
};

static const struct bad bad_files[] = {
	{ 0, "bogus 1\n", "t.conf:1: unknown statement 'bogus' (echo, scsi, max-version, versions)" },
	{ 0, "\n# c\necho size=3\n", "t.conf:3: echo: unknown key 'size' (count, subchannels, mnf)" },
	{ 0, "echo count\n", "t.conf:1: echo: 'count' is not KEY=VALUE" },
	{ 0, "echo count=0\n", "t.conf:1: echo: count wants a number in 1..128, not '0'" },
	{ 0, "echo count=129\n", "t.conf:1: echo: count wants a number in 1..128, not '129'" },
	{ 0, "echo count=x\n", "t.conf:1: echo: count wants a number in 1..128, not 'x'" },
	{ 0, "echo count=\n", "t.conf:1: echo: count wants a number in 1..128, not ''" },
	{ 0, "echo count=-1\n", "t.conf:1: echo: count wants a number in 1..128, not '-1'" },
	{ 0, "echo subchannels=65\n",
	  "t.conf:1: echo: subchannels wants a number in 0..64, not '65'" },
	{ 0, "echo mnf=2\n", "t.conf:1: echo: mnf wants a number in 0..1, not '2'" },
	{ 0, "echo mnf=1 mnf=1\n", "t.conf:1: echo: mnf given twice" },
	{ 0, "echo count=100\necho count=29\n",
	  "t.conf:2: more than 128 devices in all (100 before this line, 29 here)" },
	{ 128, "# full\necho\n", "t.conf:2: more than 128 devices in all (128 before this line, 1 here)" },
	{ 0, "max-version 6.0\n",
	  "t.conf:1: max-version wants one of 2.4, 3.0, 4.0, 4.1, 5.0 .. 5.3" },
	{ 0, "max-version\n", "t.conf:1: max-version wants one of 2.4, 3.0, 4.0, 4.1, 5.0 .. 5.3" },
	{ 0, "max-version 5.0 5.3\n",
	  "t.conf:1: max-version wants one of 2.4, 3.0, 4.0, 4.1, 5.0 .. 5.3" },
	{ 0, "versions 4.0,\n",
	  "t.conf:1: versions wants all, none or X.Y,X.Y,... of known versions" },
	{ 0, "versions\n", "t.conf:1: versions wants all, none or X.Y,X.Y,... of known versions" },
	{ 0, "echo\necho\necho\nEcho\n", "t.conf:4: unknown statement 'Echo' (echo, scsi, max-version, versions)" },
};

static void config_errors(void)
{
	char big[1200];
	struct hvh_config c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_files); i++) {
		hvh_config_default(&c);
		c.echo = bad_files[i].echo;
		if (parse(&c, bad_files[i].text) != -1 || strcmp(err, bad_files[i].why)) {
			printf("# file %u: got '%s'\n", i, err);
			CHECK(0);
		}
	}
	hvh_config_default(&c);
	CHECK_EQ(parse_n(&c, "echo\necho\0count=2\n", 18), -1);
	CHECK(!strcmp(err, "t.conf:2: NUL byte in the line"));
	memset(big, ' ', sizeof(big));
	memcpy(big + sizeof(big) - 6, "echo\n", 6);
	CHECK_EQ(parse(&c, big), -1);
	CHECK(!strcmp(err, "t.conf:1: line longer than 1024 bytes"));
	memset(big, 0, sizeof(big));
	strcpy(big, "echo");
	for (i = 0; i < 80; i++)	/* more words than a scsi statement with 64 disks has */
		strcat(big, " a=1");
	strcat(big, "\n");
	CHECK_EQ(parse(&c, big), -1);
	CHECK(!strcmp(err, "t.conf:1: too many words"));
}

static void config_load(void)
{
	char path[] = "/tmp/hvhost-unit-conf-XXXXXX";
	struct hvh_config c;
	FILE *f;
	int fd;

	hvh_config_default(&c);
	CHECK_EQ(hvh_config_load(&c, "/nonexistent/hvhost.conf", err, sizeof(err)), -1);
	CHECK(!strcmp(err, "/nonexistent/hvhost.conf: No such file or directory"));
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	CHECK(f);
	fputs("echo count=3 mnf=1\nmax-version 4.1\n", f);
	fclose(f);
	CHECK_EQ(hvh_config_load(&c, path, err, sizeof(err)), 0);
	CHECK_EQ(c.nr_file, 3);
	CHECK_EQ(c.file[2].mnf, true);
	CHECK_EQ(c.max_version, VMBUS_VERSION_WIN10_RS3);
	unlink(path);
}

const struct unit_test hvh_config_tests[] = {
	{ "config_good", config_good },
	{ "config_errors", config_errors },
	{ "config_load", config_load },
	{ NULL, NULL },
};
