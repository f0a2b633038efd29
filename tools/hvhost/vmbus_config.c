// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus server configuration: defaults, version lists, and the config
 * file of `--vmbus-config` (format in Documentation/hvhost.md):
 *
 *	echo [count=N] [subchannels=N] [mnf=0|1]
 *	scsi [subchannels=N] [max-transfer=BYTES] [disk=PATH:SIZE ...]
 *	max-version X.Y
 *	versions L
 *
 * one statement per line, `#` starts a comment, blank lines are ignored.
 * Any error names the file and line; nothing is half-accepted by the
 * caller (hvhost exits).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vmbus_srv.h"

#define CFG_LINE_MAX	1024	/* bytes of one line, newline included */
#define CFG_WORDS_MAX	(STORVSP_MAX_DISKS + 8)

void hvh_config_default(struct hvh_config *c)
{
	memset(c, 0, sizeof(*c));
	c->versions = (1U << HVH_SRV_NR_VERSIONS) - 1;
	c->max_version = VMBUS_VERSION_IRON;
	c->echo = 0;
	c->echo_sub = HVH_SRV_DEFAULT_SUB;
	c->mnf = false;
	c->mnf_latency_us = HVH_SRV_MNF_LATENCY_DEFAULT;
	c->nr_file = 0;
}

/* "X.Y" as a version number; -1 if it is not two decimal numbers. */
static int parse_xy(const char *s, size_t len, uint32_t *version)
{
	unsigned long major, minor;
	char buf[16], *end;

	if (!len || len >= sizeof(buf) || *s < '0' || *s > '9')
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	major = strtoul(buf, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return -1;
	minor = strtoul(end + 1, &end, 10);
	if (*end || errno || major > 0xffff || minor > 0xffff)
		return -1;
	*version = VMBUS_MAKE_VERSION(major, minor);
	return 0;
}

static int version_index(uint32_t v)
{
	int i;

	for (i = 0; i < HVH_SRV_NR_VERSIONS; i++)
		if (hvh_srv_versions[i] == v)
			return i;
	return -1;
}

int hvh_parse_version(const char *s, uint32_t *version)
{
	uint32_t v;

	if (parse_xy(s, strlen(s), &v) || version_index(v) < 0)
		return -1;
	*version = v;
	return 0;
}

int hvh_parse_versions(const char *s, uint32_t *mask)
{
	uint32_t m = 0, v;
	const char *comma;
	size_t len;

	if (!strcmp(s, "none")) {
		*mask = 0;
		return 0;
	}
	if (!strcmp(s, "all")) {
		*mask = (1U << HVH_SRV_NR_VERSIONS) - 1;
		return 0;
	}
	for (;;) {
		comma = strchr(s, ',');
		len = comma ? (size_t)(comma - s) : strlen(s);
		if (parse_xy(s, len, &v) || version_index(v) < 0)
			return -1;
		m |= 1U << version_index(v);
		if (!comma)
			break;
		s = comma + 1;
	}
	*mask = m;
	return 0;
}

/* ---- the config file ------------------------------------------------------ */

struct cfg_ctx {
	struct hvh_config *c;
	const char *name;
	unsigned int line;
	char *err;
	size_t errsz;
};

static int cfg_err(struct cfg_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int cfg_err(struct cfg_ctx *x, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	snprintf(x->err, x->errsz, "%s:%u: ", x->name, x->line);
	n = strlen(x->err);
	va_start(ap, fmt);
	vsnprintf(x->err + n, x->errsz - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A decimal number lo..hi; -1 if @v is not one. */
static int cfg_uint(const char *v, unsigned int lo, unsigned int hi, unsigned int *out)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || errno || n < lo || n > hi)
		return -1;
	*out = (unsigned int)n;
	return 0;
}

static const struct cfg_key {
	const char *key;
	unsigned int lo, hi;
} cfg_echo_keys[] = {
	{ "count", 1, HVH_SRV_MAX_DEVICES },
	{ "subchannels", 0, HVH_SRV_MAX_SUB },
	{ "mnf", 0, 1 },
};

#define CFG_ECHO_KEYS	ARRAY_SIZE(cfg_echo_keys)

/* echo [count=N] [subchannels=N] [mnf=0|1] */
static int cfg_echo(struct cfg_ctx *x, char **w, int nw)
{
	unsigned int val[CFG_ECHO_KEYS] = { 1, HVH_SRV_DEFAULT_SUB, 0 };
	bool seen[CFG_ECHO_KEYS] = { false };
	struct hvh_config *c = x->c;
	unsigned int k, i, have = c->echo + c->nr_file + c->nr_scsi;
	char *eq;
	int a;

	for (a = 1; a < nw; a++) {
		eq = strchr(w[a], '=');
		if (!eq)
			return cfg_err(x, "echo: '%s' is not KEY=VALUE", w[a]);
		*eq = '\0';
		for (k = 0; k < CFG_ECHO_KEYS && strcmp(w[a], cfg_echo_keys[k].key); k++)
			;
		if (k == CFG_ECHO_KEYS)
			return cfg_err(x, "echo: unknown key '%s' (count, subchannels, mnf)", w[a]);
		if (seen[k])
			return cfg_err(x, "echo: %s given twice", w[a]);
		seen[k] = true;
		if (cfg_uint(eq + 1, cfg_echo_keys[k].lo, cfg_echo_keys[k].hi, &val[k]))
			return cfg_err(x, "echo: %s wants a number in %u..%u, not '%s'", w[a],
				       cfg_echo_keys[k].lo, cfg_echo_keys[k].hi, eq + 1);
	}
	if (val[0] > HVH_SRV_MAX_DEVICES - have)
		return cfg_err(x, "more than %u devices in all (%u before this line, %u here)",
			       HVH_SRV_MAX_DEVICES, have, val[0]);
	for (i = 0; i < val[0]; i++) {
		c->file[c->nr_file].max_sub = val[1];
		c->file[c->nr_file].mnf = val[2];
		c->nr_file++;
	}
	return 0;
}

struct storvsp_config *hvh_config_new_scsi(struct hvh_config *c)
{
	struct storvsp_config *n;

	if (c->echo + c->nr_file + c->nr_scsi >= HVH_SRV_MAX_DEVICES)
		return NULL;
	n = realloc(c->scsi, (c->nr_scsi + 1) * sizeof(*n));
	if (!n)
		return NULL;
	c->scsi = n;
	storvsp_config_init(&n[c->nr_scsi]);
	return &n[c->nr_scsi++];
}

void hvh_config_release(struct hvh_config *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_scsi; i++)
		storvsp_config_free(&c->scsi[i]);
	free(c->scsi);
	c->scsi = NULL;
	c->nr_scsi = 0;
}

/* One KEY=VALUE word of a scsi statement into @sc. */
static int cfg_scsi_word(struct cfg_ctx *x, struct storvsp_config *sc, char *word)
{
	char *eq = strchr(word, '='), err[256];

	if (!eq)
		return cfg_err(x, "scsi: '%s' is not KEY=VALUE", word);
	*eq++ = '\0';
	if (!strcmp(word, "subchannels")) {
		if (cfg_uint(eq, 0, HVH_SRV_MAX_SUB, &sc->max_sub))
			return cfg_err(x, "scsi: subchannels wants 0..%u, not '%s'",
				       HVH_SRV_MAX_SUB, eq);
		return 0;
	}
	if (!strcmp(word, "max-transfer")) {
		if (storvsp_parse_transfer(eq, &sc->max_transfer))
			return cfg_err(x, "scsi: max-transfer wants %u..%u bytes (K, M suffixes), not '%s'",
				       STORVSP_MAX_TRANSFER_MIN, STORVSP_MAX_TRANSFER_MAX, eq);
		return 0;
	}
	if (!strcmp(word, "disk")) {
		if (storvsp_config_add_disk(sc, eq, err, sizeof(err)))
			return cfg_err(x, "scsi: %s", err);
		return 0;
	}
	return cfg_err(x, "scsi: unknown key '%s' (subchannels, max-transfer, disk)", word);
}

/* scsi [subchannels=N] [max-transfer=BYTES] [disk=PATH:SIZE ...] */
static int cfg_scsi(struct cfg_ctx *x, char **w, int nw)
{
	struct storvsp_config *sc = hvh_config_new_scsi(x->c);
	int a;

	if (!sc)
		return cfg_err(x, "more than %u devices in all", HVH_SRV_MAX_DEVICES);
	for (a = 1; a < nw; a++)
		if (cfg_scsi_word(x, sc, w[a]))
			return -1;
	return 0;
}

/* One statement, split into @nw > 0 words. */
static int cfg_statement(struct cfg_ctx *x, char **w, int nw)
{
	if (!strcmp(w[0], "echo"))
		return cfg_echo(x, w, nw);
	if (!strcmp(w[0], "scsi"))
		return cfg_scsi(x, w, nw);
	if (!strcmp(w[0], "max-version")) {
		if (nw != 2 || hvh_parse_version(w[1], &x->c->max_version))
			return cfg_err(x, "max-version wants one of 2.4, 3.0, 4.0, 4.1, 5.0 .. 5.3");
		return 0;
	}
	if (!strcmp(w[0], "versions")) {
		if (nw != 2 || hvh_parse_versions(w[1], &x->c->versions))
			return cfg_err(x, "versions wants all, none or X.Y,X.Y,... of known versions");
		return 0;
	}
	return cfg_err(x, "unknown statement '%s' (echo, scsi, max-version, versions)", w[0]);
}

/* One line (comment and newline still there). */
static int cfg_line(struct cfg_ctx *x, char *line)
{
	char *w[CFG_WORDS_MAX], *save = NULL, *t, *hash = strchr(line, '#');
	int nw = 0;

	if (hash)
		*hash = '\0';
	for (t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (nw == CFG_WORDS_MAX)
			return cfg_err(x, "too many words");
		w[nw++] = t;
	}
	return nw ? cfg_statement(x, w, nw) : 0;
}

int hvh_config_parse(struct hvh_config *c, const char *name, FILE *f, char *err,
		     size_t errsz)
{
	struct cfg_ctx x = { .c = c, .name = name, .err = err, .errsz = errsz };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	while (!rc && (n = getline(&line, &cap, f)) >= 0) {
		x.line++;
		if (n > CFG_LINE_MAX)
			rc = cfg_err(&x, "line longer than %d bytes", CFG_LINE_MAX);
		else if (strlen(line) != (size_t)n)
			rc = cfg_err(&x, "NUL byte in the line");
		else
			rc = cfg_line(&x, line);
	}
	free(line);
	if (!rc && ferror(f)) {
		snprintf(err, errsz, "%s: read error", name);
		rc = -1;
	}
	return rc;
}

int hvh_config_load(struct hvh_config *c, const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = hvh_config_parse(c, path, f, err, errsz);
	fclose(f);
	return rc;
}
